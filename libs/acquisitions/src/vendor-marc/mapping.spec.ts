import {
  ITEM_FIELDS, ORDER_FIELDS, VENDOR_MARC_PRESETS, VendorMarcConfigError, formatVendorMarcMapping, parseVendorMarcMapping, vendorMarcPreset,
} from './mapping.js';

const problemsOf = (texts: { order?: string; items?: string }): string[] => {
  try {
    parseVendorMarcMapping(texts);
  } catch (err) {
    expect(err).toBeInstanceOf(VendorMarcConfigError);
    return (err as VendorMarcConfigError).problems.map((p) => `${p.part}:${p.line} ${p.message}`);
  }
  throw new Error('expected the mapping to be refused');
};

describe('vendor MARC mapping texts', () => {
  it('reads Koha-style lines: alternatives in order, comments, blank lines, quotes, CRLF, the fund alias', () => {
    const m = parseVendorMarcMapping({
      order: '---\n# from the vendor\r\nprice: 947$a|947$c\r\n\r\nquantity: "969$h"\nfund: 922$a  # Evergreen says fund\n',
      items: 'homebranch: 975$a\nbarcode: 975$p | 975$i',
    });
    expect(m.order).toEqual({
      price: [{ tag: '947', code: 'a' }, { tag: '947', code: 'c' }], quantity: [{ tag: '969', code: 'h' }], budget_code: [{ tag: '922', code: 'a' }],
    });
    expect(m.items).toEqual({ homebranch: [{ tag: '975', code: 'a' }], barcode: [{ tag: '975', code: 'p' }, { tag: '975', code: 'i' }] });
  });

  it('names every bad line with its part and number', () => {
    expect(problemsOf({
      order: 'price 947$a\nprise: 947$a\nprice: 947a\nprice: 947$a\nprice: 947$c\nsort1:\nsort2: 001$a\ndiscount: 94$a|969$d',
      items: 'homebranch: 975$a\nbarcode: 975$ab\nquantity: 975$q|',
    })).toEqual([
      'order:1 expected "name: TAG$code", got "price 947$a"',
      `order:2 unknown order field "prise"; known: ${ORDER_FIELDS.join(', ')}`,
      'order:3 price: "947a" is not TAG$code (a three-character tag, "$" and one subfield code)',
      'order:4 price is already mapped on line 3',
      'order:5 price is already mapped on line 3',
      'order:6 sort1 has no source (write e.g. "sort1: 970$p")',
      'order:7 sort2: 001 is a control field, it has no subfields',
      'order:8 discount: "94$a" is not TAG$code (a three-character tag, "$" and one subfield code)',
      'items:2 barcode: "975$ab" is not TAG$code (a three-character tag, "$" and one subfield code)',
      'items:3 quantity: "" is not TAG$code (a three-character tag, "$" and one subfield code)',
    ]);
  });

  it('refuses item fields in the order part and the other way round', () => {
    expect(problemsOf({ order: 'barcode: 975$p', items: 'sort1: 975$a' })).toEqual([
      `order:1 unknown order field "barcode"; known: ${ORDER_FIELDS.join(', ')}`,
      `items:1 unknown item field "sort1"; known: ${ITEM_FIELDS.join(', ')}`,
    ]);
  });

  it('hostile texts: huge, binary, very long lines are refused or named without echoing them whole', () => {
    expect(problemsOf({ order: 'x'.repeat(70_000) })).toEqual(['order:1 the mapping is 70000 characters long; at most 65536 are read']);
    const [long] = problemsOf({ items: `homebranch: ${'9'.repeat(5000)}` });
    expect(long!.length).toBeLessThan(200);
    expect(problemsOf({ order: 'price: 947$\u0000' })).toHaveLength(1);
    expect(problemsOf({ order: '__proto__: 947$a\nconstructor: 947$a' })).toHaveLength(2);
  });

  it('an empty mapping is allowed (no order data, copies from nothing)', () => {
    expect(parseVendorMarcMapping({})).toEqual({ order: {}, items: {} });
  });

  it('every preset parses and round-trips through its text form', () => {
    for (const name of Object.keys(VENDOR_MARC_PRESETS)) {
      const m = vendorMarcPreset(name);
      expect(Object.keys(m.items).length + Object.keys(m.order).length).toBeGreaterThan(0);
      expect(parseVendorMarcMapping(formatVendorMarcMapping(m))).toEqual(m);
    }
    expect(() => vendorMarcPreset('nope')).toThrow('no preset "nope"; known: koha-975, evergreen-970, brodart-970, baker-taylor-938, innovative-949, koha-unimarc-995');
  });
});
