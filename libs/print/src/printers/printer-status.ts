/**
 * What a printer's Host Resources and Printer MIB values mean (RFC 2790, RFC 3805), without SNMP: the
 * reader hands over numbers and bytes, this decides what staff see and whether a job may go out.
 */

export const OID = {
  hrDeviceStatus: '1.3.6.1.2.1.25.3.2.1.5',
  hrDeviceDescr: '1.3.6.1.2.1.25.3.2.1.3',
  hrPrinterEntry: '1.3.6.1.2.1.25.3.5.1',
  hrPrinterStatus: '1.3.6.1.2.1.25.3.5.1.1',
  hrPrinterDetectedErrorState: '1.3.6.1.2.1.25.3.5.1.2',
  prtMarkerSuppliesEntry: '1.3.6.1.2.1.43.11.1.1',
  prtInputEntry: '1.3.6.1.2.1.43.8.2.1',
  prtAlertEntry: '1.3.6.1.2.1.43.18.1.1',
} as const;

export const PRINTER_STATUS: Record<number, string> = { 1: 'other', 2: 'unknown', 3: 'idle', 4: 'printing', 5: 'warmup' };
export const DEVICE_STATUS: Record<number, string> = { 1: 'unknown', 2: 'running', 3: 'warning', 4: 'testing', 5: 'down' };

/** hrPrinterDetectedErrorState bits in order: bit 0 is 0x80 of the first byte */
export const ERROR_BITS = [
  'lowPaper', 'noPaper', 'lowToner', 'noToner', 'doorOpen', 'jammed', 'offline', 'serviceRequested',
  'inputTrayMissing', 'outputTrayMissing', 'markerSupplyMissing', 'outputNearFull', 'outputFull', 'inputTrayEmpty', 'overduePreventMaint',
] as const;
export type PrinterError = (typeof ERROR_BITS)[number];

/** conditions a job must wait out: printing into them loses the job or prints nothing */
export const HOLDING_ERRORS: readonly PrinterError[] = ['noPaper', 'jammed', 'doorOpen', 'offline', 'noToner', 'inputTrayMissing', 'outputFull', 'markerSupplyMissing'];

export function decodeErrorState(bytes: Buffer | Uint8Array | null | undefined): PrinterError[] {
  const out: PrinterError[] = [];
  if (!bytes) return out;
  ERROR_BITS.forEach((name, bit) => {
    const byte = bytes[bit >> 3];
    if (byte !== undefined && byte & (0x80 >> (bit & 7))) out.push(name);
  });
  return out;
}

/** The inverse, for simulated printers in tests and for documentation: always two bytes. */
export function encodeErrorState(errors: readonly PrinterError[]): Buffer {
  const b = Buffer.alloc(2);
  for (const e of errors) {
    const bit = ERROR_BITS.indexOf(e);
    if (bit < 0) throw new Error(`unknown printer error "${e}"`);
    b[bit >> 3]! |= 0x80 >> (bit & 7);
  }
  return b;
}

const SUPPLY_CLASS: Record<number, string> = { 1: 'other', 3: 'supplyThatIsConsumed', 4: 'receptacleThatIsFilled' };
const SUPPLY_TYPE: Record<number, string> = {
  1: 'other', 2: 'unknown', 3: 'toner', 4: 'wasteToner', 5: 'ink', 6: 'inkCartridge', 7: 'inkRibbon', 8: 'wasteInk', 9: 'opc',
  10: 'developer', 11: 'fuserOil', 12: 'solidWax', 13: 'ribbonWax', 14: 'wasteWax', 15: 'fuser', 16: 'coronaWire', 17: 'fuserOilWick',
  18: 'cleanerUnit', 19: 'fuserCleaningPad', 20: 'transferUnit', 21: 'tonerCartridge', 22: 'fuserOiler', 23: 'water', 24: 'wasteWater',
  25: 'glueWaterAdditive', 26: 'wastePaper', 27: 'bindingSupply', 28: 'bandingSupply', 29: 'stitchingWire', 30: 'shrinkWrap',
  31: 'paperWrap', 32: 'staples', 33: 'inserts', 34: 'covers',
};

/** below this share a consumable is "low" (and a waste receptacle with less room than this is "nearly full") */
export const LOW_PERCENT = 10;

export interface SupplyRow {
  index: number;
  supplyClass?: number;
  type?: number;
  description?: string;
  unit?: number;
  maxCapacity?: number;
  level?: number;
}

export interface Supply {
  index: number;
  description: string;
  type: string;
  /** 'consumed' (toner: level is what is left) or 'filled' (waste: level is the room left) */
  kind: 'consumed' | 'filled' | 'other';
  /** what the printer said, untouched */
  level: number | null;
  maxCapacity: number | null;
  /** 0–100 when it can be worked out honestly; null otherwise */
  percent: number | null;
  /** 'ok', 'low', 'empty', 'someRemaining' (−3), 'unlimited' (−1), 'unknown' (−2 or nonsense) */
  state: 'ok' | 'low' | 'empty' | 'someRemaining' | 'unlimited' | 'unknown';
  /** why the numbers were not taken at face value, when they were not */
  note?: string;
}

/**
 * One supply's level. −1 no restriction, −2 unknown, −3 "some remaining" (RFC 3805); other negatives
 * (some printers say −100 when empty) read as empty; a level above the maximum is clamped; a printer
 * that declares percent (unit 19) with a maximum other than 100 is read by its maximum anyway.
 */
export function decodeSupply(row: SupplyRow): Supply {
  const kind = row.supplyClass === 3 ? 'consumed' : row.supplyClass === 4 ? 'filled' : 'other';
  const base = {
    index: row.index,
    description: row.description?.trim() || SUPPLY_TYPE[row.type ?? 2] || `supply ${row.index}`,
    type: SUPPLY_TYPE[row.type ?? 2] ?? `type ${row.type}`,
    kind,
    level: row.level ?? null,
    maxCapacity: row.maxCapacity ?? null,
  } as const;
  const level = row.level;
  const max = row.maxCapacity;
  if (level === undefined || level === -2) return { ...base, percent: null, state: 'unknown' };
  if (level === -1) return { ...base, percent: null, state: 'unlimited' };
  if (level === -3) return { ...base, percent: null, state: 'someRemaining' };
  let note: string | undefined;
  let percent: number | null;
  if (level < 0) {
    note = `level ${level} is not a value the Printer MIB defines; read as empty`;
    percent = 0;
  } else if (max !== undefined && max > 0) {
    percent = (level / max) * 100;
    if (percent > 100) {
      note = `level ${level} is above the maximum ${max}; read as full`;
      percent = 100;
    }
  } else if (row.unit === 19) {
    // percent declared, no usable maximum
    percent = Math.min(level, 100);
    if (level > 100) note = `level ${level}% is above 100; read as full`;
  } else {
    return { ...base, percent: null, state: 'unknown', note: `maximum capacity ${max ?? 'missing'}: the level ${level} cannot be put in proportion` };
  }
  percent = Math.round(percent * 10) / 10;
  const state = percent <= 0 ? 'empty' : percent < LOW_PERCENT ? 'low' : 'ok';
  return note ? { ...base, percent, state, note } : { ...base, percent, state };
}

export interface InputRow {
  index: number;
  maxCapacity?: number;
  currentLevel?: number;
  status?: number;
  mediaName?: string;
}

export interface Tray {
  index: number;
  mediaName: string | null;
  level: number | null;
  maxCapacity: number | null;
  /** 'ok', 'low', 'empty', 'someRemaining', 'unknown' */
  state: 'ok' | 'low' | 'empty' | 'someRemaining' | 'unknown';
  /** from prtInputStatus (PrtSubUnitStatusTC) */
  available: boolean;
  critical: boolean;
}

/** One tray (prtInputEntry); the status is a bit field whose low three bits say whether it can be used. */
export function decodeTray(row: InputRow): Tray {
  const status = row.status ?? 0;
  const availability = status & 7; // 0 idle, 2 active, 4 busy; 1, 3, 5 unavailable; 6 broken
  const available = ![1, 3, 5, 6].includes(availability);
  const critical = (status & 16) !== 0;
  const level = row.currentLevel ?? null;
  const max = row.maxCapacity ?? null;
  let state: Tray['state'];
  if (level === null || level === -2 || level === -1) state = 'unknown';
  else if (level === -3) state = 'someRemaining';
  else if (level <= 0) state = 'empty';
  else if (max !== null && max > 0 && (level / max) * 100 < LOW_PERCENT) state = 'low';
  else state = 'ok';
  return { index: row.index, mediaName: row.mediaName?.trim() || null, level, maxCapacity: max, state, available, critical };
}

const ALERT_SEVERITY: Record<number, string> = { 1: 'other', 3: 'critical', 4: 'warning', 5: 'warningBinaryChangeEvent' };
const ALERT_CODE: Record<number, string> = {
  1: 'other', 2: 'unknown', 3: 'coverOpen', 4: 'coverClosed', 5: 'interlockOpen', 6: 'interlockClosed', 7: 'configurationChange', 8: 'jam',
  501: 'doorOpen', 502: 'doorClosed', 503: 'powerUp', 504: 'powerDown', 505: 'printerNMSReset', 506: 'printerManualReset', 507: 'printerReadyToPrint',
  801: 'inputMediaTrayMissing', 802: 'inputMediaSizeChange', 803: 'inputMediaWeightChange', 804: 'inputMediaTypeChange', 805: 'inputMediaColorChange',
  806: 'inputMediaFormPartsChange', 807: 'inputMediaSupplyLow', 808: 'inputMediaSupplyEmpty',
  901: 'outputMediaTrayMissing', 902: 'outputMediaTrayAlmostFull', 903: 'outputMediaTrayFull',
  1001: 'markerFuserUnderTemperature', 1002: 'markerFuserOverTemperature', 1101: 'markerTonerEmpty', 1102: 'markerInkEmpty', 1103: 'markerPrintRibbonEmpty',
  1104: 'markerTonerAlmostEmpty', 1105: 'markerInkAlmostEmpty', 1106: 'markerPrintRibbonAlmostEmpty', 1107: 'markerWasteTonerReceptacleAlmostFull',
  1110: 'markerWasteTonerReceptacleFull', 1301: 'mediaPathMediaTrayMissing', 1302: 'mediaPathMediaTrayAlmostFull', 1303: 'mediaPathMediaTrayFull',
};
const ALERT_GROUP: Record<number, string> = {
  1: 'other', 3: 'hostResourcesMIBStorageTable', 4: 'hostResourcesMIBDeviceTable', 5: 'generalPrinter', 6: 'cover', 7: 'localization', 8: 'input',
  9: 'output', 10: 'marker', 11: 'markerSupplies', 12: 'markerColorant', 13: 'mediaPath', 14: 'channel', 15: 'interpreter', 16: 'consoleDisplayBuffer',
  17: 'consoleLights', 18: 'alert', 30: 'finDevice', 31: 'finSupply', 32: 'finSupplyMediaInput', 33: 'finAttribute',
};

export interface AlertRow {
  index: number;
  severity?: number;
  group?: number;
  location?: number;
  code?: number;
  description?: string;
  time?: number;
}

export interface Alert {
  index: number;
  severity: string;
  group: string;
  location: number | null;
  code: string;
  description: string;
  /** sysUpTime hundredths of a second when the alert was raised */
  time: number | null;
}

export function decodeAlert(row: AlertRow): Alert {
  const code = ALERT_CODE[row.code ?? 2] ?? `code ${row.code}`;
  return {
    index: row.index,
    severity: ALERT_SEVERITY[row.severity ?? 1] ?? `severity ${row.severity}`,
    group: ALERT_GROUP[row.group ?? 1] ?? `group ${row.group}`,
    location: row.location ?? null,
    code,
    description: row.description?.trim() || code,
    time: row.time ?? null,
  };
}

/** Alert codes that mean the same as a holding error bit (printers that raise alerts but set no bits). */
const HOLDING_ALERTS: Record<string, PrinterError> = { jam: 'jammed', doorOpen: 'doorOpen', coverOpen: 'doorOpen', interlockOpen: 'doorOpen', inputMediaSupplyEmpty: 'noPaper', markerTonerEmpty: 'noToner', inputMediaTrayMissing: 'inputTrayMissing', outputMediaTrayFull: 'outputFull' };

export interface SnmpReading {
  deviceIndex: number;
  deviceStatus?: number;
  printerStatus?: number;
  errorState?: Buffer | null;
  supplies: SupplyRow[];
  inputs: InputRow[];
  alerts: AlertRow[];
}

export interface PrinterCondition {
  /** hrPrinterStatus in words */
  status: string;
  /** hrDeviceStatus in words */
  deviceStatus: string | null;
  errors: PrinterError[];
  supplies: Supply[];
  trays: Tray[];
  alerts: Alert[];
  /** the conditions that hold jobs (empty: jobs may go out) */
  blocking: string[];
  /** reported, printing goes on */
  warnings: string[];
}

/** Everything a reading says, and whether a job may be sent now. */
export function printerCondition(r: SnmpReading): PrinterCondition {
  const errors = decodeErrorState(r.errorState);
  const supplies = r.supplies.map(decodeSupply);
  const trays = r.inputs.map(decodeTray);
  const alerts = r.alerts.map(decodeAlert);
  const blocking = new Set<string>(errors.filter((e) => HOLDING_ERRORS.includes(e)));
  for (const a of alerts) {
    const e = HOLDING_ALERTS[a.code];
    if (e && a.severity === 'critical') blocking.add(e);
  }
  if (r.deviceStatus === 5 && blocking.size === 0) blocking.add('down');
  // every tray empty or unusable is no paper, even where the printer sets no bit for it
  if (trays.length > 0 && trays.every((t) => t.state === 'empty' || !t.available)) blocking.add('noPaper');
  const warnings = new Set<string>(errors.filter((e) => !HOLDING_ERRORS.includes(e)));
  for (const s of supplies) {
    if (s.kind === 'consumed' && s.state === 'low') warnings.add(`low ${s.description} (${s.percent}%)`);
    if (s.kind === 'consumed' && s.state === 'empty') warnings.add(`${s.description} empty`);
    if (s.kind === 'filled' && (s.state === 'low' || s.state === 'empty')) warnings.add(`${s.description} nearly full`);
  }
  for (const t of trays) if (t.state === 'low' || (t.state === 'empty' && !blocking.has('noPaper'))) warnings.add(`tray ${t.index}${t.mediaName ? ` (${t.mediaName})` : ''} ${t.state === 'low' ? 'low' : 'empty'}`);
  for (const a of alerts) if (a.severity !== 'critical' && a.code !== 'other') warnings.add(a.description);
  return {
    status: PRINTER_STATUS[r.printerStatus ?? 2] ?? `status ${r.printerStatus}`,
    deviceStatus: r.deviceStatus === undefined ? null : (DEVICE_STATUS[r.deviceStatus] ?? `status ${r.deviceStatus}`),
    errors,
    supplies,
    trays,
    alerts,
    blocking: [...blocking],
    warnings: [...warnings],
  };
}
