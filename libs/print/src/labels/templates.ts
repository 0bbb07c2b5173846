import { PT_PER_IN, PT_PER_MM } from '../pdf/document.js';

/**
 * Label sheets and printer profiles: pure data, all lengths in points (1 in = 72 pt), origin at the
 * sheet's top-left corner. Label n (1-based) runs row-major: 1 is top-left, `columns` ends the first row.
 */

export interface LabelTemplate {
  /** the name operators type (`--template`), e.g. "avery-5160" */
  name: string;
  description: string;
  pageWidth: number;
  pageHeight: number;
  columns: number;
  rows: number;
  labelWidth: number;
  labelHeight: number;
  /** from the sheet's top edge to the first row's top edge */
  top: number;
  /** from the sheet's left edge to the first column's left edge */
  left: number;
  columnGap: number;
  rowGap: number;
  /** blank border inside each label that text keeps clear of (the die cut is never exact) */
  padding: number;
  /** largest text size on this sheet, points */
  fontSize: number;
}

/**
 * A printer's drift, as Koha's label profiles measure it: offsets move the whole sheet, creep is added
 * to every step from one label to the next (a printer whose rollers feed slightly long or short), so the
 * error grows down and across the sheet instead of being the same everywhere.
 */
export interface LabelProfile {
  offsetX: number;
  offsetY: number;
  creepX: number;
  creepY: number;
}

/** the same profile, by the name the printers' configuration uses for it */
export type LabelPrinterProfile = LabelProfile;

export const NO_PROFILE: LabelProfile = Object.freeze({ offsetX: 0, offsetY: 0, creepX: 0, creepY: 0 });

const IN = PT_PER_IN;
const A4: [number, number] = [210 * PT_PER_MM, 297 * PT_PER_MM];

function builtIn(t: Omit<LabelTemplate, 'padding' | 'fontSize'> & Partial<Pick<LabelTemplate, 'padding' | 'fontSize'>>): LabelTemplate {
  return Object.freeze({ padding: 4, fontSize: 10, ...t });
}

/** The common sheets, measured from the makers' published templates (see docs: sources differ by a few hundredths of an inch; profiles absorb that). */
export const LABEL_TEMPLATES: Readonly<Record<string, LabelTemplate>> = Object.freeze({
  'avery-5160': builtIn({ name: 'avery-5160', description: 'Avery 5160, address labels 1 × 2⅝ in, 3 × 10 on Letter', pageWidth: 8.5 * IN, pageHeight: 11 * IN, columns: 3, rows: 10, labelWidth: 2.625 * IN, labelHeight: 1 * IN, top: 0.5 * IN, left: 0.1875 * IN, columnGap: 0.125 * IN, rowGap: 0 }),
  'avery-5167': builtIn({ name: 'avery-5167', description: 'Avery 5167, return-address labels ½ × 1¾ in, 4 × 20 on Letter', pageWidth: 8.5 * IN, pageHeight: 11 * IN, columns: 4, rows: 20, labelWidth: 1.75 * IN, labelHeight: 0.5 * IN, top: 0.5 * IN, left: 0.28125 * IN, columnGap: 0.3125 * IN, rowGap: 0, padding: 2.5, fontSize: 8 }),
  'avery-l7160': builtIn({ name: 'avery-l7160', description: 'Avery L7160, 63.5 × 38.1 mm, 3 × 7 on A4', pageWidth: A4[0], pageHeight: A4[1], columns: 3, rows: 7, labelWidth: 181.4, labelHeight: 108, top: 43.9, left: 21.2, columnGap: 5.8, rowGap: 0 }),
  'demco-spine': builtIn({ name: 'demco-spine', description: 'Demco spine labels WS14942260, 1 × 1½ in, 5 × 10 on Letter', pageWidth: 8.5 * IN, pageHeight: 11 * IN, columns: 5, rows: 10, labelWidth: 1.5 * IN, labelHeight: 1 * IN, top: 0.5 * IN, left: 0.25 * IN, columnGap: 0.0625 * IN, rowGap: 0 }),
  'gaylord-8511': builtIn({ name: 'gaylord-8511', description: 'Gaylord spine labels 8511, 1¼ × 1 in, 1 × 8 on Letter', pageWidth: 8.5 * IN, pageHeight: 11 * IN, columns: 1, rows: 8, labelWidth: 1 * IN, labelHeight: 1.25 * IN, top: 0.6 * IN, left: 0.5 * IN, columnGap: 0, rowGap: 0 }),
  'avery-5460': builtIn({ name: 'avery-5460', description: 'Avery 5460 spine labels 1½ × ¾ in, 7 × 2 on a 5⅝ × 3⅝ in sheet', pageWidth: 5.625 * IN, pageHeight: 3.625 * IN, columns: 7, rows: 2, labelWidth: 0.75 * IN, labelHeight: 1.5 * IN, top: 0.35 * IN, left: 0.31 * IN, columnGap: 0, rowGap: 0.25 * IN, padding: 3, fontSize: 9 }),
});

/** "Avery 5160", "avery_5160", "AVERY-5160" all name the same sheet. */
export function templateKey(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, '-');
}

export class LabelConfigError extends Error {}

const LENGTH = /^\s*(-?\d+(?:\.\d+)?)\s*(pt|in|mm|cm)?\s*$/;
const UNIT: Record<string, number> = { pt: 1, in: IN, mm: PT_PER_MM, cm: 10 * PT_PER_MM };

/** A length as written in config: a number of points, or text such as "2.625in", "63.5mm", "181.4pt". */
export function parseLength(value: unknown, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string') {
    const m = LENGTH.exec(value);
    if (m) return Number(m[1]) * UNIT[m[2] ?? 'pt'];
  }
  throw new LabelConfigError(`${where} must be a length (points, or text such as "2.625in", "63.5mm", "12pt"), got ${JSON.stringify(value)}`);
}

const TEMPLATE_FIELDS = ['name', 'description', 'pageWidth', 'pageHeight', 'columns', 'rows', 'labelWidth', 'labelHeight', 'top', 'left', 'columnGap', 'rowGap', 'padding', 'fontSize'] as const;
const REQUIRED_FIELDS = ['name', 'pageWidth', 'pageHeight', 'columns', 'rows', 'labelWidth', 'labelHeight', 'top', 'left'] as const;
/** a hair of tolerance: sheets published in inches and millimetres round differently */
const FIT_TOLERANCE = 0.5;

/** Checks one template (built-in shape or custom), naming the template and field of the first problem. */
export function checkTemplate(raw: unknown, where: string): LabelTemplate {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new LabelConfigError(`${where} must be an object with name, pageWidth, pageHeight, columns, rows, labelWidth, labelHeight, top, left`);
  const o = raw as Record<string, unknown>;
  const label = typeof o.name === 'string' && o.name.trim() !== '' ? `${where} "${o.name}"` : where;
  for (const k of Object.keys(o)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(k)) throw new LabelConfigError(`${label}: unknown field "${k}" (known: ${TEMPLATE_FIELDS.join(', ')})`);
  }
  for (const k of REQUIRED_FIELDS) if (o[k] === undefined) throw new LabelConfigError(`${label}: ${k} is required`);
  if (typeof o.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,62}$/.test(o.name)) throw new LabelConfigError(`${label}: name must be 1–63 letters, digits, spaces, dots, dashes or underscores, got ${JSON.stringify(o.name)}`);
  if (o.description !== undefined && typeof o.description !== 'string') throw new LabelConfigError(`${label}: description must be text`);
  const count = (k: 'columns' | 'rows'): number => {
    const v = o[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 200) throw new LabelConfigError(`${label}: ${k} must be a whole number from 1 to 200, got ${JSON.stringify(v)}`);
    return v;
  };
  const length = (k: (typeof TEMPLATE_FIELDS)[number], opts: { positive?: boolean; fallback?: number }): number => {
    if (o[k] === undefined && opts.fallback !== undefined) return opts.fallback;
    const v = parseLength(o[k], `${label}: ${k}`);
    if (opts.positive ? !(v > 0) : v < 0) throw new LabelConfigError(`${label}: ${k} must be ${opts.positive ? 'greater than 0' : '0 or more'}, got ${JSON.stringify(o[k])}`);
    return v;
  };
  const t: LabelTemplate = {
    name: templateKey(o.name),
    description: (o.description as string | undefined) ?? o.name,
    pageWidth: length('pageWidth', { positive: true }),
    pageHeight: length('pageHeight', { positive: true }),
    columns: count('columns'),
    rows: count('rows'),
    labelWidth: length('labelWidth', { positive: true }),
    labelHeight: length('labelHeight', { positive: true }),
    top: length('top', {}),
    left: length('left', {}),
    columnGap: length('columnGap', { fallback: 0 }),
    rowGap: length('rowGap', { fallback: 0 }),
    padding: length('padding', { fallback: 4 }),
    fontSize: length('fontSize', { positive: true, fallback: 10 }),
  };
  if (t.pageWidth >= 14_400 || t.pageHeight >= 14_400) throw new LabelConfigError(`${label}: pageWidth and pageHeight must be under 200 in`);
  const right = t.left + t.columns * t.labelWidth + (t.columns - 1) * t.columnGap;
  if (right > t.pageWidth + FIT_TOLERANCE) throw new LabelConfigError(`${label}: columns do not fit across the page: left + ${t.columns} × labelWidth + gaps = ${right.toFixed(2)} pt, pageWidth is ${t.pageWidth.toFixed(2)} pt`);
  const bottom = t.top + t.rows * t.labelHeight + (t.rows - 1) * t.rowGap;
  if (bottom > t.pageHeight + FIT_TOLERANCE) throw new LabelConfigError(`${label}: rows do not fit down the page: top + ${t.rows} × labelHeight + gaps = ${bottom.toFixed(2)} pt, pageHeight is ${t.pageHeight.toFixed(2)} pt`);
  if (2 * t.padding >= Math.min(t.labelWidth, t.labelHeight)) throw new LabelConfigError(`${label}: padding ${t.padding} pt leaves no room inside a ${t.labelWidth.toFixed(1)} × ${t.labelHeight.toFixed(1)} pt label`);
  if (t.fontSize > 72) throw new LabelConfigError(`${label}: fontSize must be at most 72 pt`);
  return Object.freeze(t);
}

/** The `print.labelTemplates` setting: a JSON array of custom sheets; none may reuse a built-in's or another's name. */
export function customTemplates(setting: unknown): Record<string, LabelTemplate> {
  if (setting === undefined || setting === null || setting === '') return {};
  if (!Array.isArray(setting)) throw new LabelConfigError(`print.labelTemplates must be a JSON array of templates, got ${JSON.stringify(setting).slice(0, 80)}`);
  const out: Record<string, LabelTemplate> = {};
  setting.forEach((raw, i) => {
    const t = checkTemplate(raw, `print.labelTemplates[${i}]`);
    if (LABEL_TEMPLATES[t.name]) throw new LabelConfigError(`print.labelTemplates[${i}] "${t.name}": name is a built-in template's; choose another`);
    if (out[t.name]) throw new LabelConfigError(`print.labelTemplates[${i}] "${t.name}": name is used twice`);
    out[t.name] = t;
  });
  return out;
}

/** A template by name: the built-ins, then the custom ones of the `print.labelTemplates` setting. */
export function labelTemplate(name: string, customSetting?: unknown): LabelTemplate {
  const key = templateKey(name);
  const custom = customTemplates(customSetting);
  const t = LABEL_TEMPLATES[key] ?? custom[key];
  if (!t) throw new LabelConfigError(`label template "${name}" not found (known: ${[...Object.keys(LABEL_TEMPLATES), ...Object.keys(custom)].join(', ')})`);
  return t;
}

/**
 * A printer's `labelProfile` (config `print.printers[].labelProfile`, which the printers' own check reads
 * the same way), in points; missing fields are 0.
 */
export function checkLabelProfile(raw: unknown, where: string): LabelProfile {
  if (raw === undefined || raw === null) return NO_PROFILE;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new LabelConfigError(`${where} must be an object { offsetX, offsetY, creepX, creepY } in points`);
  const o = raw as Record<string, unknown>;
  const fields = ['offsetX', 'offsetY', 'creepX', 'creepY'] as const;
  for (const k of Object.keys(o)) if (!(fields as readonly string[]).includes(k)) throw new LabelConfigError(`${where}: unknown field "${k}" (known: ${fields.join(', ')})`);
  const p = {} as LabelProfile;
  for (const k of fields) {
    const v = o[k] === undefined ? 0 : parseLength(o[k], `${where}.${k}`);
    // more than an inch off is a sheet loaded wrongly or a mistyped value, not a printer's drift
    if (Math.abs(v) > IN) throw new LabelConfigError(`${where}.${k} must be within ±${IN} pt, got ${JSON.stringify(o[k])}`);
    p[k] = v;
  }
  return Object.freeze(p);
}

export interface LabelPlace {
  /** 1-based sheet (page) of the batch */
  sheet: number;
  /** 1-based position on the sheet, row-major */
  position: number;
  row: number;
  column: number;
  /** top-left corner of the label, points from the sheet's top-left */
  x: number;
  y: number;
}

export function labelsPerSheet(t: LabelTemplate): number {
  return t.columns * t.rows;
}

/** Checks a start position (1-based, on the first sheet). */
export function checkStart(t: LabelTemplate, start: number): number {
  const per = labelsPerSheet(t);
  if (!Number.isInteger(start) || start < 1 || start > per) throw new LabelConfigError(`start position must be a whole number from 1 to ${per} (the labels on a ${t.name} sheet), got ${start}`);
  return start;
}

/** Where position `position` (1-based) of a sheet is printed, with the printer's profile applied. */
export function labelOrigin(t: LabelTemplate, position: number, profile: LabelProfile = NO_PROFILE): { row: number; column: number; x: number; y: number } {
  const row = Math.floor((position - 1) / t.columns) + 1;
  const column = position - (row - 1) * t.columns;
  return {
    row,
    column,
    x: t.left + profile.offsetX + (column - 1) * (t.labelWidth + t.columnGap + profile.creepX),
    y: t.top + profile.offsetY + (row - 1) * (t.labelHeight + t.rowGap + profile.creepY),
  };
}

/** Where the batch's `index`-th label (0-based) goes when the batch starts at `start` on a partly used first sheet. */
export function labelPlace(t: LabelTemplate, start: number, index: number, profile: LabelProfile = NO_PROFILE): LabelPlace {
  const per = labelsPerSheet(t);
  const slot = start - 1 + index;
  const sheet = Math.floor(slot / per) + 1;
  const position = (slot % per) + 1;
  return { sheet, position, ...labelOrigin(t, position, profile) };
}
