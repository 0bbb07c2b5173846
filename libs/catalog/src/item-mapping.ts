import { KOHA_952_MAPPING, MARC_852_MAPPING, type ItemFieldMapping } from '@carrel/marc';

/** The `import.itemMapping` setting: a preset name or a mapping object of subfield codes. */
export function resolveItemMapping(setting: unknown): ItemFieldMapping {
  if (setting === 'koha-952' || setting === undefined || setting === null || setting === '') return KOHA_952_MAPPING;
  if (setting === 'marc-852' || setting === 'evergreen-852') return MARC_852_MAPPING;
  if (typeof setting === 'object' && !Array.isArray(setting)) {
    const m = setting as Record<string, unknown>;
    if (typeof m.tag !== 'string' || !/^[0-9A-Za-z]{3}$/.test(m.tag)) throw new Error('import.itemMapping: "tag" must be a 3-character MARC tag');
    if (typeof m.barcode !== 'string' || m.barcode.length !== 1) throw new Error('import.itemMapping: "barcode" must be one subfield code');
    for (const [k, v] of Object.entries(m)) {
      if (k !== 'tag' && (typeof v !== 'string' || v.length !== 1)) throw new Error(`import.itemMapping: "${k}" must be one subfield code`);
    }
    return m as unknown as ItemFieldMapping;
  }
  throw new Error(`import.itemMapping: "${String(setting)}" is neither koha-952, marc-852 nor a mapping object`);
}
