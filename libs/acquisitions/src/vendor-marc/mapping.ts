/**
 * Where a vendor puts order and item data in its MARC records, written as Koha writes its
 * MarcFieldsToOrder and MarcItemFieldsToOrder preferences: one `name: TAG$c|TAG$c` line per
 * field, alternatives separated by `|`, the first non-empty one wins.
 */
export const ORDER_FIELDS = ['price', 'quantity', 'budget_code', 'discount', 'sort1', 'sort2'] as const;
export const ITEM_FIELDS = [
  'homebranch', 'holdingbranch', 'itype', 'nonpublic_note', 'public_note', 'loc', 'ccode', 'notforloan', 'uri', 'copyno', 'price',
  'replacementprice', 'itemcallnumber', 'quantity', 'budget_code', 'barcode',
] as const;
export type OrderFieldName = (typeof ORDER_FIELDS)[number];
export type ItemFieldName = (typeof ITEM_FIELDS)[number];

/** Names staff also use for the same thing (Evergreen says fund). */
const ALIASES: Readonly<Record<string, string>> = { fund: 'budget_code' };

export interface SubfieldSource {
  tag: string;
  code: string;
}

export interface VendorMarcMapping {
  order: Partial<Record<OrderFieldName, SubfieldSource[]>>;
  items: Partial<Record<ItemFieldName, SubfieldSource[]>>;
}

export interface ConfigProblem {
  /** Which of the two texts: 'order' (MarcFieldsToOrder) or 'items' (MarcItemFieldsToOrder). */
  part: 'order' | 'items';
  /** 1-based line number in that text. */
  line: number;
  message: string;
}

export class VendorMarcConfigError extends Error {
  override name = 'VendorMarcConfigError';
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map((p) => `${p.part} line ${p.line}: ${p.message}`).join('\n'));
  }
}

// A mapping is a few lines; anything far bigger is not one.
const MAX_CONFIG_CHARS = 64 * 1024;

function parsePart<K extends string>(text: string, part: 'order' | 'items', names: readonly K[], problems: ConfigProblem[]): Partial<Record<K, SubfieldSource[]>> {
  const out: Partial<Record<K, SubfieldSource[]>> = {};
  if (text.length > MAX_CONFIG_CHARS) {
    problems.push({ part, line: 1, message: `the mapping is ${text.length} characters long; at most ${MAX_CONFIG_CHARS} are read` });
    return out;
  }
  const seen = new Map<string, number>();
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = i + 1;
    const problem = (message: string): void => { problems.push({ part, line, message }); };
    // YAML comments start a line or follow a blank; '#' is never part of a tag or subfield code here.
    const body = raw.replace(/(^|\s)#.*$/, '').trim();
    if (body === '' || body === '---') return;
    const colon = body.indexOf(':');
    if (colon < 0) return problem(`expected "name: TAG$code", got ${JSON.stringify(body.slice(0, 80))}`);
    const given = body.slice(0, colon).trim().toLowerCase();
    const name = (Object.hasOwn(ALIASES, given) ? ALIASES[given]! : given) as K;
    if (!names.includes(name)) return problem(`unknown ${part === 'order' ? 'order' : 'item'} field ${JSON.stringify(given.slice(0, 40))}; known: ${names.join(', ')}`);
    const earlier = seen.get(name);
    if (earlier !== undefined) return problem(`${name} is already mapped on line ${earlier}`);
    seen.set(name, line);
    let value = body.slice(colon + 1).trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1).trim();
    if (value === '') return problem(`${name} has no source (write e.g. "${name}: 970$p")`);
    const sources: SubfieldSource[] = [];
    for (const alt of value.split('|').map((s) => s.trim())) {
      const m = /^([0-9A-Za-z]{3})\$([0-9A-Za-z])$/.exec(alt);
      if (!m) return problem(`${name}: ${JSON.stringify(alt.slice(0, 40))} is not TAG$code (a three-character tag, "$" and one subfield code)`);
      if (/^00\d$/.test(m[1]!)) return problem(`${name}: ${m[1]} is a control field, it has no subfields`);
      sources.push({ tag: m[1]!.toUpperCase(), code: m[2]! });
    }
    out[name] = sources;
  });
  return out;
}

/** Reads the two mapping texts; throws VendorMarcConfigError listing every bad line. */
export function parseVendorMarcMapping(texts: { order?: string; items?: string }): VendorMarcMapping {
  const problems: ConfigProblem[] = [];
  const mapping: VendorMarcMapping = {
    order: parsePart(texts.order ?? '', 'order', ORDER_FIELDS, problems),
    items: parsePart(texts.items ?? '', 'items', ITEM_FIELDS, problems),
  };
  if (problems.length) throw new VendorMarcConfigError(problems);
  return mapping;
}

/** Back to the text form, one line per mapped field in the canonical order. */
export function formatVendorMarcMapping(mapping: VendorMarcMapping): { order: string; items: string } {
  const lines = <K extends string>(names: readonly K[], part: Partial<Record<K, SubfieldSource[]>>): string =>
    names.filter((n) => part[n]?.length).map((n) => `${n}: ${part[n]!.map((s) => `${s.tag}$${s.code}`).join('|')}`).join('\n');
  return { order: lines(ORDER_FIELDS, mapping.order), items: lines(ITEM_FIELDS, mapping.items) };
}

/**
 * The conventions seen in vendors' files, as mapping texts staff can copy and adjust:
 * - `koha-975`: the example in Koha's manual (order data in 947/969/922-924, one 975 per copy).
 * - `evergreen-970`: Evergreen's acquisitions holdings tag (970 $p or $e price, $f fund, $o owning
 *   library, $q copies, $b barcode, $c call number, $l location, $m circulation modifier, $n note),
 *   with Baker & Taylor's 938 $d net price as the order price when the 970 has none.
 * - `brodart-970`: Brodart's on-order records, one 970 per branch ($a branch, $b copies, $c
 *   collection, $f fund, $p price).
 * - `baker-taylor-938`: Baker & Taylor's price field alone (938 $d net, else $c list price), for
 *   records whose copies come from the order quantity.
 * - `innovative-949`: the III-style 949 item field ($a call number, $i barcode, $l or $h location,
 *   $m library, $t item type, $p price, $z public note, $x non-public note).
 * - `koha-unimarc-995`: Koha's UNIMARC item field ($b home library, $c holding library, $e
 *   location, $f barcode, $h collection, $k call number, $r item type, $p price, $u note,
 *   $o not for loan, $6 copy number).
 */
export const VENDOR_MARC_PRESETS: Readonly<Record<string, { order: string; items: string }>> = Object.freeze({
  'koha-975': {
    order: 'price: 947$a|947$c\nquantity: 969$h\nbudget_code: 922$a\ndiscount: 969$d\nsort1: 923$a\nsort2: 924$a',
    items: [
      'homebranch: 975$a', 'holdingbranch: 975$b', 'itype: 975$y', 'nonpublic_note: 975$x', 'public_note: 975$z', 'loc: 975$c',
      'ccode: 975$8', 'notforloan: 975$7', 'uri: 975$u', 'copyno: 975$n', 'quantity: 975$q', 'budget_code: 975$h', 'price: 975$p',
      'replacementprice: 975$v',
    ].join('\n'),
  },
  'evergreen-970': {
    order: 'price: 970$p|970$e|938$d\nbudget_code: 970$f',
    items: [
      'homebranch: 970$o', 'holdingbranch: 970$o', 'barcode: 970$b', 'itemcallnumber: 970$c', 'loc: 970$l', 'itype: 970$m',
      'public_note: 970$n', 'price: 970$p|970$e', 'budget_code: 970$f', 'quantity: 970$q',
    ].join('\n'),
  },
  'brodart-970': {
    order: 'price: 970$p|020$c\nbudget_code: 970$f',
    items: 'homebranch: 970$a\nholdingbranch: 970$a\nquantity: 970$b\nccode: 970$c\nbudget_code: 970$f\nprice: 970$p',
  },
  'baker-taylor-938': {
    order: 'price: 938$d|938$c',
    items: '',
  },
  'innovative-949': {
    order: 'price: 949$p',
    items: [
      'itemcallnumber: 949$a', 'barcode: 949$i', 'loc: 949$l|949$h', 'homebranch: 949$m', 'holdingbranch: 949$m', 'itype: 949$t',
      'price: 949$p', 'public_note: 949$z', 'nonpublic_note: 949$x',
    ].join('\n'),
  },
  'koha-unimarc-995': {
    order: 'price: 010$d|995$p',
    items: [
      'homebranch: 995$b', 'holdingbranch: 995$c', 'loc: 995$e', 'barcode: 995$f', 'ccode: 995$h', 'itemcallnumber: 995$k',
      'itype: 995$r', 'price: 995$p', 'public_note: 995$u', 'notforloan: 995$o', 'copyno: 995$6',
    ].join('\n'),
  },
});

/** A preset by name, parsed. */
export function vendorMarcPreset(name: string): VendorMarcMapping {
  const texts = Object.hasOwn(VENDOR_MARC_PRESETS, name) ? VENDOR_MARC_PRESETS[name] : undefined;
  if (!texts) throw new VendorMarcConfigError([{ part: 'order', line: 1, message: `no preset ${JSON.stringify(name)}; known: ${Object.keys(VENDOR_MARC_PRESETS).join(', ')}` }]);
  return parseVendorMarcMapping(texts);
}
