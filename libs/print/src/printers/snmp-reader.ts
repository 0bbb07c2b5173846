import snmp from 'net-snmp';
import { OID, type AlertRow, type InputRow, type SnmpReading, type SupplyRow } from './printer-status.js';
import type { SnmpTarget } from './printer-config.js';

/**
 * Reads a printer's Host Resources and Printer MIB values over SNMP v2c (net-snmp), numeric OIDs only
 * (Debian ships neither MIB file and printers rarely need them). A printer that does not answer is an
 * SnmpUnreachable error; a printer that answers without the Printer MIB gives empty lists.
 */
export class SnmpUnreachable extends Error {}

interface Varbind {
  oid: string;
  type: number;
  value: unknown;
}

function compareOids(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

function getBulk(session: any, oid: string): Promise<Varbind[]> {
  return new Promise((resolve, reject) => {
    session.getBulk([oid], 0, 25, (error: Error | null, varbinds: Varbind[][]) => (error ? reject(error) : resolve(varbinds?.[0] ?? [])));
  });
}

/**
 * Every value under base, with GetBulk. Carrel walks itself rather than with net-snmp's subtree(): an
 * agent that answers an OID with itself (some printers do, net-snmp's own agent does for an empty table)
 * would make that walk loop forever; here a walk stops when OIDs stop increasing, and after MAX_VALUES.
 */
const MAX_VALUES = 5000;
async function subtree(session: any, base: string): Promise<Varbind[]> {
  const out: Varbind[] = [];
  let last = base;
  for (;;) {
    const varbinds = await getBulk(session, last);
    if (varbinds.length === 0) return out;
    for (const vb of varbinds) {
      if (snmp.isVarbindError(vb) || !vb.oid.startsWith(`${base}.`) || compareOids(vb.oid, last) <= 0) return out;
      out.push(vb);
      last = vb.oid;
      if (out.length >= MAX_VALUES) return out;
    }
  }
}

/** rows of a table entry keyed by the instance part after the column number */
function rows(varbinds: Varbind[], base: string): Map<string, Map<number, unknown>> {
  const out = new Map<string, Map<number, unknown>>();
  for (const vb of varbinds) {
    if (!vb.oid.startsWith(`${base}.`)) continue;
    const [column, ...instance] = vb.oid.slice(base.length + 1).split('.');
    const key = instance.join('.');
    if (!out.has(key)) out.set(key, new Map());
    out.get(key)!.set(Number(column), vb.value);
  }
  return out;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : undefined);
const text = (v: unknown): string | undefined => (Buffer.isBuffer(v) ? v.toString('utf8').replace(/\0+$/, '') : typeof v === 'string' ? v : undefined);

/** rows of a Printer MIB table for one device: instance "<dev>.<i>" */
function deviceRows(table: Map<string, Map<number, unknown>>, device: number): [number, Map<number, unknown>][] {
  const out: [number, Map<number, unknown>][] = [];
  for (const [key, cols] of table) {
    const [dev, i] = key.split('.').map(Number);
    if (dev === device && i !== undefined && Number.isInteger(i)) out.push([i, cols]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

export async function readPrinterSnmp(target: SnmpTarget, timeoutMs = 2000): Promise<SnmpReading> {
  const session = snmp.createSession(target.host, target.community, { port: target.port, version: snmp.Version2c, timeout: timeoutMs, retries: 1 });
  session.on?.('error', () => undefined);
  try {
    let printer: Varbind[];
    try {
      printer = await subtree(session, OID.hrPrinterEntry);
    } catch (e) {
      throw new SnmpUnreachable(`SNMP ${target.host}:${target.port}: ${(e as Error).message}`);
    }
    const printerRows = rows(printer, OID.hrPrinterEntry);
    // the first printer device the agent lists (a multifunction device may list more)
    const first = [...printerRows.keys()].map(Number).filter(Number.isInteger).sort((a, b) => a - b)[0];
    if (first === undefined) return { deviceIndex: 0, supplies: [], inputs: [], alerts: [] };
    const cols = printerRows.get(String(first))!;
    const state = cols.get(2);
    const [device, supplies, inputs, alerts] = await Promise.all([
      subtree(session, OID.hrDeviceStatus),
      subtree(session, OID.prtMarkerSuppliesEntry),
      subtree(session, OID.prtInputEntry),
      subtree(session, OID.prtAlertEntry),
    ]);
    const deviceStatus = device.find((vb) => vb.oid === `${OID.hrDeviceStatus}.${first}`);
    return {
      deviceIndex: first,
      printerStatus: num(cols.get(1)),
      errorState: Buffer.isBuffer(state) ? state : typeof state === 'string' ? Buffer.from(state, 'latin1') : null,
      deviceStatus: num(deviceStatus?.value),
      supplies: deviceRows(rows(supplies, OID.prtMarkerSuppliesEntry), first).map(
        ([index, c]): SupplyRow => ({ index, supplyClass: num(c.get(4)), type: num(c.get(5)), description: text(c.get(6)), unit: num(c.get(7)), maxCapacity: num(c.get(8)), level: num(c.get(9)) }),
      ),
      inputs: deviceRows(rows(inputs, OID.prtInputEntry), first).map(
        ([index, c]): InputRow => ({ index, maxCapacity: num(c.get(9)), currentLevel: num(c.get(10)), status: num(c.get(11)), mediaName: text(c.get(12)) }),
      ),
      alerts: deviceRows(rows(alerts, OID.prtAlertEntry), first).map(
        ([index, c]): AlertRow => ({ index, severity: num(c.get(2)), group: num(c.get(4)), location: num(c.get(6)), code: num(c.get(7)), description: text(c.get(8)), time: num(c.get(9)) }),
      ),
    };
  } finally {
    session.close();
  }
}
