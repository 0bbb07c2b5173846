import { resolveCirculationOptions } from './options.js';

describe('circulation options', () => {
  it('fills every default', () => {
    const o = resolveCirculationOptions();
    expect(o).toMatchObject({ currency: 'USD', holdShelfDays: 7, sortBinRules: [], cacheTtlMs: 30_000, mediaTypes: {} });
    expect(o.defaultRule).toEqual({ loanPeriod: 21, loanPeriodUnit: 'days', renewalsAllowed: 2, finePerPeriod: '0', fineCap: null, lostItemCharge: null, maxItems: null, holdsAllowed: true });
    expect(typeof o.timeZone).toBe('string');
    expect(o.timeZone.length).toBeGreaterThan(0);
  });

  it('takes the default rule field by field', () => {
    const o = resolveCirculationOptions({ timeZone: 'Europe/Paris', currency: 'EUR', defaultRule: { loanPeriod: 28, finePerPeriod: '0.20' } });
    expect(o).toMatchObject({ timeZone: 'Europe/Paris', currency: 'EUR' });
    expect(o.defaultRule).toMatchObject({ loanPeriod: 28, finePerPeriod: '0.20', renewalsAllowed: 2 });
  });
});
