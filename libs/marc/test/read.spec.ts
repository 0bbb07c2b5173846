import { Buffer } from 'node:buffer';
import { detectMarcFormat, readMarc, writeIso2709, writeMarcXml } from '../src/index.js';
import { expectError, expectOk, latin1, sample } from './helpers.js';

describe('detectMarcFormat', () => {
  it('recognises ISO 2709 by its leader', () => {
    expect(detectMarcFormat(writeIso2709(sample()))).toBe('iso2709');
    expect(detectMarcFormat(latin1('\r\n00755cam  22002414a 4500001'))).toBe('iso2709');
    expect(detectMarcFormat(latin1('00755'))).toBe('iso2709');
    expect(detectMarcFormat(latin1('00755cam  22x02414a 4500'))).toBe('unknown');
  });

  it('recognises MARCXML with or without prefix, declaration, BOM or UTF-16', () => {
    expect(detectMarcFormat(Buffer.from(writeMarcXml(sample())))).toBe('marcxml');
    expect(detectMarcFormat(latin1('<?xml version="1.0"?>\n<marc:collection xmlns:marc="x">'))).toBe('marcxml');
    expect(detectMarcFormat(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin1('<collection>')]))).toBe('marcxml');
    expect(detectMarcFormat(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<record>', 'utf16le')]))).toBe('marcxml');
    expect(detectMarcFormat(latin1('<html><body>'))).toBe('unknown');
  });

  it('recognises MARC-in-JSON and gives up on anything else', () => {
    expect(detectMarcFormat(latin1('{"leader":"01471cjm  2200349 a 4500","fields":[]}'))).toBe('marc-in-json');
    expect(detectMarcFormat(latin1('[{"leader": "x"}]'))).toBe('marc-in-json');
    expect(detectMarcFormat(latin1('{"a":1}'))).toBe('unknown');
    expect(detectMarcFormat(latin1('title,author\n'))).toBe('unknown');
    expect(detectMarcFormat(Buffer.alloc(0))).toBe('unknown');
  });
});

describe('readMarc', () => {
  it('reads either format, detected or named', () => {
    const iso = writeIso2709(sample());
    const xml = Buffer.from(`<collection>${writeMarcXml(sample())}</collection>`);
    expect(expectOk([...readMarc(iso)][0]).format).toBe('iso2709');
    expect(expectOk([...readMarc(xml)][0]).format).toBe('marcxml');
    expect(expectOk([...readMarc(xml, 'marcxml')][0]).record.fields).toEqual(expectOk([...readMarc(iso, 'iso2709')][0]).record.fields);
  });

  it('returns one rejection for input it cannot read', () => {
    const json = [...readMarc(latin1('{"leader":"x","fields":[]}'))];
    expect(json).toHaveLength(1);
    expect(expectError(json[0])).toMatchObject({ format: 'unknown', index: 0, error: 'record 1 at byte 0: the input looks like MARC-in-JSON, which is not supported' });
    expect(expectError([...readMarc(latin1('hello'))][0]).error).toBe('record 1 at byte 0: the input looks like neither ISO 2709 nor MARCXML');
  });
});
