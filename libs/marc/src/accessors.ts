import type { MarcControlField, MarcDataField, MarcField, MarcRecord } from './types.js';

export function isControlField(f: MarcField): f is MarcControlField {
  return 'value' in f;
}
export function isDataField(f: MarcField): f is MarcDataField {
  return !('value' in f);
}
/** Fields with this tag, in record order. */
export function fieldsOf(record: MarcRecord, tag: string): MarcField[] {
  return record.fields.filter((f) => f.tag === tag);
}
/** Values of subfield `code` in a data field, in order; [] for a control field. */
export function subfieldValues(field: MarcField, code: string): string[] {
  if ('value' in field) return [];
  const out: string[] = [];
  for (const sf of field.subfields) if (sf.code === code) out.push(sf.value);
  return out;
}
