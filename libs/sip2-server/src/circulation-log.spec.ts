import { maskFrame } from './circulation-log.js';

const D = '20261128    120000';

describe('maskFrame', () => {
  it('masks CO in a login, AD/AC in patron requests and CQ in responses, keeping everything else', () => {
    expect(maskFrame('9300CNkiosk|COs3cret|CPk3|\r')).toBe('9300CNkiosk|CO***|CPk3|');
    expect(maskFrame(`63001${D}          AOCPL|AAP1|ACterm|AD1234|AY1AZF00D`)).toBe(`63001${D}          AOCPL|AAP1|AC***|AD***|AY1AZF00D`);
    expect(maskFrame(`64              001${D}000000010000000000000000AOCPL|AAP1|AEAnn|CQY|`)).toContain('|CQ***|');
  });

  it('masks a PIN sent as the first field, fields in any order, and in frames it cannot read', () => {
    expect(maskFrame(`23001${D}AD9999|AOCPL|AAP1|`)).toBe(`23001${D}AD***|AOCPL|AAP1|`);
    expect(maskFrame('ZZgarbage|AD1234|CO||')).toBe('ZZgarbage|AD***|CO***||');
    expect(maskFrame('AD1234|x')).toBe('AD***|x');
    expect(maskFrame('')).toBe('');
  });

  it('leaves frames without secrets unchanged', () => {
    const f = `17${D}AOCPL|ABI001|`;
    expect(maskFrame(f + '\r\n')).toBe(f);
  });
});
