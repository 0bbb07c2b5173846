import { ConfigError, type CarrelSettings } from '@carrel/config';
import { EVERGREEN_852_MAPPING, KOHA_952_MAPPING, MARC_852_MAPPING, type ItemFieldMapping } from '@carrel/marc';

const KNOWN = ['barcode', 'branch', 'homeBranch', 'location', 'callNumber', 'itemType', 'collectionCode', 'price', 'status', 'copyNumber', 'notes'];

/** The `import.itemMapping` setting: a preset name or a mapping object of subfield codes. */
export function resolveItemMapping(setting: unknown): ItemFieldMapping {
  if (setting === 'koha-952' || setting === undefined || setting === null || setting === '') return KOHA_952_MAPPING;
  if (setting === 'marc-852') return MARC_852_MAPPING;
  if (setting === 'evergreen-852') return EVERGREEN_852_MAPPING;
  if (typeof setting === 'object' && !Array.isArray(setting)) {
    const m = setting as Record<string, unknown>;
    if (typeof m.tag !== 'string' || !/^[0-9A-Za-z]{3}$/.test(m.tag)) throw new Error('import.itemMapping: "tag" must be a 3-character MARC tag');
    const spec = /^([0-9a-z](\[\d+\])?)+$/;
    if (typeof m.barcode !== 'string' || !spec.test(m.barcode)) throw new Error('import.itemMapping: "barcode" must be a subfield spec such as "p"');
    for (const [k, v] of Object.entries(m)) {
      if (k === 'tag') continue;
      if (!KNOWN.includes(k)) throw new Error(`import.itemMapping: unknown attribute "${k}" (known: ${KNOWN.join(', ')})`);
      if (typeof v !== 'string' || !spec.test(v)) throw new Error(`import.itemMapping: "${k}" must be subfield codes such as "p", "khim" or "b[2]"`);
    }
    return m as unknown as ItemFieldMapping;
  }
  throw new Error(`import.itemMapping: "${String(setting)}" is neither koha-952, marc-852, evergreen-852 nor a mapping object`);
}

/** Checks the `import.itemMapping` setting at start, as the configuration loader checks the others. */
export function checkItemMappingSetting(settings: CarrelSettings): void {
  try {
    resolveItemMapping(settings['import.itemMapping']);
  } catch (e) {
    throw new ConfigError(`Configuration error: ${(e as Error).message}`);
  }
}
