import dgram from 'node:dgram';
import snmp from 'net-snmp';
import { encodeErrorState, OID, type PrinterError } from '@carrel/print';

/**
 * A simulated printer's SNMP agent on 127.0.0.1 for the print tests: net-snmp's own agent serving the
 * Host Resources device and printer tables and the Printer MIB supplies, input and alert tables, indexed
 * by device as a real printer's are (hrDeviceIndex first). `setState` replaces everything it serves, so
 * one agent plays a printer that runs out of paper, jams and is fixed.
 */
export interface SimSupply {
  description: string;
  /** 3 consumed (toner), 4 filled (waste) */
  supplyClass?: number;
  /** 3 toner, 4 wasteToner, 21 tonerCartridge … */
  type?: number;
  /** 19 percent, 7 impressions … */
  unit?: number;
  maxCapacity: number;
  level: number;
}

export interface SimTray {
  mediaName: string;
  maxCapacity: number;
  level: number;
  /** PrtSubUnitStatusTC; 0 available and idle */
  status?: number;
}

export interface SimAlert {
  /** 3 critical, 4 warning */
  severity: number;
  /** 5 generalPrinter, 8 input, 11 markerSupplies … */
  group: number;
  location?: number;
  /** 8 jam, 501 doorOpen, 807 inputMediaSupplyLow, 808 inputMediaSupplyEmpty, 1101 markerTonerEmpty, 1104 markerTonerAlmostEmpty */
  code: number;
  description: string;
  time?: number;
}

export interface SimPrinterState {
  /** hrPrinterStatus: 3 idle, 4 printing, 5 warmup, 1 other */
  printerStatus: number;
  /** hrDeviceStatus: 2 running, 3 warning, 5 down */
  deviceStatus: number;
  errors: PrinterError[];
  supplies: SimSupply[];
  trays: SimTray[];
  alerts: SimAlert[];
}

export const IDLE_PRINTER: SimPrinterState = {
  printerStatus: 3,
  deviceStatus: 2,
  errors: [],
  supplies: [
    { description: 'Black Toner Cartridge', supplyClass: 3, type: 21, unit: 19, maxCapacity: 100, level: 80 },
    { description: 'Waste Toner Box', supplyClass: 4, type: 4, unit: 19, maxCapacity: 100, level: 90 },
  ],
  trays: [{ mediaName: 'Letter', maxCapacity: 250, level: 200 }],
  alerts: [],
};

export interface SnmpAgent {
  port: number;
  community: string;
  /** the device index the printer is served under */
  device: number;
  setState(state: SimPrinterState): void;
  close(): Promise<void>;
}

async function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
  });
}

const T = snmp.ObjectType;
const RO = snmp.MaxAccess['read-only'];
const NA = snmp.MaxAccess['not-accessible'];
const col = (number: number, name: string, type: number, maxAccess = RO) => ({ number, name, type, maxAccess });
const byDevice = (local: string) => [{ columnName: 'hrDeviceIndex', foreign: 'hrDeviceTable' }, { columnName: local }];

export async function startSnmpAgent(state: SimPrinterState = IDLE_PRINTER, opts: { device?: number; community?: string } = {}): Promise<SnmpAgent> {
  const port = await freeUdpPort();
  const community = opts.community ?? 'public';
  const device = opts.device ?? 1;
  const agent = snmp.createAgent({ port, address: '127.0.0.1', disableAuthorization: false }, () => undefined);
  agent.getAuthorizer().addCommunity(community);
  const mib = agent.getMib();
  mib.registerProviders([
    { name: 'hrDeviceTable', type: snmp.MibProviderType.Table, oid: '1.3.6.1.2.1.25.3.2.1', maxAccess: NA, tableColumns: [col(1, 'hrDeviceIndex', T.Integer), col(3, 'hrDeviceDescr', T.OctetString), col(5, 'hrDeviceStatus', T.Integer)], tableIndex: [{ columnName: 'hrDeviceIndex' }] },
    { name: 'hrPrinterTable', type: snmp.MibProviderType.Table, oid: OID.hrPrinterEntry, maxAccess: NA, tableColumns: [col(1, 'hrPrinterStatus', T.Integer), col(2, 'hrPrinterDetectedErrorState', T.OctetString)], tableIndex: [{ columnName: 'hrDeviceIndex', foreign: 'hrDeviceTable' }] },
    {
      name: 'prtMarkerSuppliesTable', type: snmp.MibProviderType.Table, oid: OID.prtMarkerSuppliesEntry, maxAccess: NA,
      tableColumns: [col(1, 'prtMarkerSuppliesIndex', T.Integer, NA), col(4, 'prtMarkerSuppliesClass', T.Integer), col(5, 'prtMarkerSuppliesType', T.Integer), col(6, 'prtMarkerSuppliesDescription', T.OctetString), col(7, 'prtMarkerSuppliesSupplyUnit', T.Integer), col(8, 'prtMarkerSuppliesMaxCapacity', T.Integer), col(9, 'prtMarkerSuppliesLevel', T.Integer)],
      tableIndex: byDevice('prtMarkerSuppliesIndex'),
    },
    {
      name: 'prtInputTable', type: snmp.MibProviderType.Table, oid: OID.prtInputEntry, maxAccess: NA,
      tableColumns: [col(1, 'prtInputIndex', T.Integer, NA), col(9, 'prtInputMaxCapacity', T.Integer), col(10, 'prtInputCurrentLevel', T.Integer), col(11, 'prtInputStatus', T.Integer), col(12, 'prtInputMediaName', T.OctetString)],
      tableIndex: byDevice('prtInputIndex'),
    },
    {
      name: 'prtAlertTable', type: snmp.MibProviderType.Table, oid: OID.prtAlertEntry, maxAccess: NA,
      tableColumns: [col(1, 'prtAlertIndex', T.Integer, NA), col(2, 'prtAlertSeverityLevel', T.Integer), col(4, 'prtAlertGroup', T.Integer), col(6, 'prtAlertLocation', T.Integer), col(7, 'prtAlertCode', T.Integer), col(8, 'prtAlertDescription', T.OctetString), col(9, 'prtAlertTime', T.TimeTicks)],
      tableIndex: byDevice('prtAlertIndex'),
    },
  ]);
  const added: [string, number[]][] = [];
  const add = (table: string, index: number[], row: unknown[]) => {
    mib.addTableRow(table, row);
    added.push([table, index]);
  };
  const setState = (s: SimPrinterState) => {
    for (const [table, index] of added.splice(0).reverse()) mib.deleteTableRow(table, index);
    add('hrDeviceTable', [device], [device, 'Carrel simulated laser printer', s.deviceStatus]);
    add('hrPrinterTable', [device], [device, s.printerStatus, encodeErrorState(s.errors)]);
    s.supplies.forEach((x, i) => add('prtMarkerSuppliesTable', [device, i + 1], [device, i + 1, x.supplyClass ?? 3, x.type ?? 3, x.description, x.unit ?? 19, x.maxCapacity, x.level]));
    s.trays.forEach((x, i) => add('prtInputTable', [device, i + 1], [device, i + 1, x.maxCapacity, x.level, x.status ?? 0, x.mediaName]));
    s.alerts.forEach((x, i) => add('prtAlertTable', [device, i + 1], [device, i + 1, x.severity, x.group, x.location ?? 1, x.code, x.description, x.time ?? 100]));
  };
  setState(state);
  return {
    port,
    community,
    device,
    setState,
    close: () => new Promise<void>((resolve) => agent.close(() => resolve())),
  };
}
