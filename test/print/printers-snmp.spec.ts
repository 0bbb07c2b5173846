import { decodeErrorState, decodeSupply, decodeTray, encodeErrorState, ERROR_BITS, printerCondition, readPrinterSnmp, SnmpUnreachable } from '@carrel/print';
import { IDLE_PRINTER, startSnmpAgent, type SimPrinterState, type SnmpAgent } from '../support/snmp-agent.js';
import { freePort } from '../support/ports.js';

/**
 * Printer state over SNMP: net-snmp's agent on loopback plays a printer (Host Resources and Printer MIB
 * tables indexed by device), Carrel's reader and the decoding read it back: the error bits, supply levels
 * with the special values, trays, alerts, and which conditions hold jobs.
 */
describe('printer status: decoding the Printer MIB', () => {
  it('reads hrPrinterDetectedErrorState bit by bit, bit 0 being 0x80 of the first byte', () => {
    expect(decodeErrorState(Buffer.from([0x80]))).toEqual(['lowPaper']);
    expect(decodeErrorState(Buffer.from([0x40, 0x00]))).toEqual(['noPaper']);
    expect(decodeErrorState(Buffer.from([0x04]))).toEqual(['jammed']);
    expect(decodeErrorState(Buffer.from([0x02]))).toEqual(['offline']);
    expect(decodeErrorState(Buffer.from([0x00, 0x04]))).toEqual(['inputTrayEmpty']);
    expect(decodeErrorState(Buffer.from([]))).toEqual([]);
    expect(decodeErrorState(null)).toEqual([]);
    // a printer sending one byte only: the second byte's conditions are simply absent
    expect(decodeErrorState(Buffer.from([0xff]))).toEqual(ERROR_BITS.slice(0, 8));
    for (const e of ERROR_BITS) expect(decodeErrorState(encodeErrorState([e]))).toEqual([e]);
    expect(() => encodeErrorState(['smoke' as never])).toThrow('unknown printer error "smoke"');
  });

  it('reads supply levels with the special values and the oddities real printers send', () => {
    const toner = { index: 1, supplyClass: 3, type: 21, description: 'Black', unit: 19, maxCapacity: 100 };
    expect(decodeSupply({ ...toner, level: 55 })).toMatchObject({ percent: 55, state: 'ok', kind: 'consumed', type: 'tonerCartridge' });
    expect(decodeSupply({ ...toner, level: 5 })).toMatchObject({ percent: 5, state: 'low' });
    expect(decodeSupply({ ...toner, level: 0 })).toMatchObject({ percent: 0, state: 'empty' });
    expect(decodeSupply({ ...toner, level: -1 })).toMatchObject({ percent: null, state: 'unlimited', level: -1 });
    expect(decodeSupply({ ...toner, level: -2 })).toMatchObject({ percent: null, state: 'unknown' });
    expect(decodeSupply({ ...toner, level: -3 })).toMatchObject({ percent: null, state: 'someRemaining' });
    expect(decodeSupply({ ...toner, level: -100 })).toMatchObject({ percent: 0, state: 'empty', note: expect.stringContaining('-100') });
    expect(decodeSupply({ ...toner, level: 150 })).toMatchObject({ percent: 100, state: 'ok', note: expect.stringContaining('above the maximum') });
    // impressions: 1,200 of 12,000 left is 10 %
    expect(decodeSupply({ ...toner, unit: 7, maxCapacity: 12000, level: 1100 })).toMatchObject({ percent: 9.2, state: 'low' });
    // percent declared but no maximum: the level is the percentage
    expect(decodeSupply({ ...toner, maxCapacity: -2, level: 40 })).toMatchObject({ percent: 40, state: 'ok' });
    // no maximum and no percent unit: no honest proportion
    expect(decodeSupply({ ...toner, unit: 7, maxCapacity: -2, level: 400 })).toMatchObject({ percent: null, state: 'unknown', note: expect.stringContaining('cannot be put in proportion') });
    expect(decodeSupply({ index: 2 })).toMatchObject({ state: 'unknown', description: 'unknown' });
  });

  it('reads trays: levels, unavailable trays', () => {
    expect(decodeTray({ index: 1, maxCapacity: 250, currentLevel: 200, status: 0, mediaName: 'A4 ' })).toEqual({ index: 1, mediaName: 'A4', level: 200, maxCapacity: 250, state: 'ok', available: true, critical: false });
    expect(decodeTray({ index: 1, maxCapacity: 250, currentLevel: 10 })).toMatchObject({ state: 'low' });
    expect(decodeTray({ index: 1, maxCapacity: 250, currentLevel: 0 })).toMatchObject({ state: 'empty' });
    expect(decodeTray({ index: 1, maxCapacity: 250, currentLevel: -3 })).toMatchObject({ state: 'someRemaining' });
    expect(decodeTray({ index: 1, maxCapacity: -2, currentLevel: -2 })).toMatchObject({ state: 'unknown' });
    expect(decodeTray({ index: 1, maxCapacity: 250, currentLevel: 100, status: 5 })).toMatchObject({ available: false });
  });

  it('holds for no paper, jam, door open and offline; reports low toner and low paper without holding', () => {
    const reading = (errors: Parameters<typeof encodeErrorState>[0], extra: Partial<Parameters<typeof printerCondition>[0]> = {}) =>
      printerCondition({ deviceIndex: 1, printerStatus: 3, deviceStatus: 2, errorState: encodeErrorState(errors), supplies: [], inputs: [], alerts: [], ...extra });
    expect(reading([]).blocking).toEqual([]);
    expect(reading(['noPaper']).blocking).toEqual(['noPaper']);
    expect(reading(['jammed', 'doorOpen']).blocking).toEqual(['doorOpen', 'jammed']);
    expect(reading(['offline']).blocking).toEqual(['offline']);
    expect(reading(['lowToner', 'lowPaper'])).toMatchObject({ blocking: [], warnings: ['lowPaper', 'lowToner'] });
    // a printer that raises a critical jam alert but sets no bit
    expect(reading([], { alerts: [{ index: 1, severity: 3, group: 13, code: 8, description: 'Paper jam in tray 2' }] }).blocking).toEqual(['jammed']);
    // every tray empty is no paper even without the bit
    expect(reading([], { inputs: [{ index: 1, maxCapacity: 250, currentLevel: 0 }, { index: 2, maxCapacity: 500, currentLevel: 0 }] }).blocking).toEqual(['noPaper']);
    expect(reading([], { deviceStatus: 5 }).blocking).toEqual(['down']);
  });
});

describe('printer status over SNMP (net-snmp agent on 127.0.0.1)', () => {
  let agent: SnmpAgent;
  const target = () => ({ host: '127.0.0.1', port: agent.port, community: 'public' });

  beforeAll(async () => {
    agent = await startSnmpAgent(IDLE_PRINTER, { device: 1 });
  });
  afterAll(async () => {
    await agent?.close();
  });

  const read = async (state: SimPrinterState) => {
    agent.setState(state);
    return printerCondition(await readPrinterSnmp(target(), 2000));
  };

  it('an idle printer with toner and paper: nothing holds, levels in percent', async () => {
    const c = await read(IDLE_PRINTER);
    expect(c).toMatchObject({ status: 'idle', deviceStatus: 'running', errors: [], blocking: [], warnings: [] });
    expect(c.supplies.map((s) => [s.description, s.kind, s.percent, s.state])).toEqual([
      ['Black Toner Cartridge', 'consumed', 80, 'ok'],
      ['Waste Toner Box', 'filled', 90, 'ok'],
    ]);
    expect(c.trays).toEqual([{ index: 1, mediaName: 'Letter', level: 200, maxCapacity: 250, state: 'ok', available: true, critical: false }]);
    expect(c.alerts).toEqual([]);
  });

  it('out of paper: the error bit, the empty tray and the critical alert', async () => {
    const c = await read({ ...IDLE_PRINTER, printerStatus: 1, deviceStatus: 5, errors: ['noPaper'], trays: [{ mediaName: 'Letter', maxCapacity: 250, level: 0 }], alerts: [{ severity: 3, group: 8, code: 808, description: 'Load paper in tray 1' }] });
    expect(c).toMatchObject({ status: 'other', deviceStatus: 'down', errors: ['noPaper'], blocking: ['noPaper'] });
    expect(c.alerts).toEqual([{ index: 1, severity: 'critical', group: 'input', location: 1, code: 'inputMediaSupplyEmpty', description: 'Load paper in tray 1', time: 100 }]);
    expect(c.trays[0]).toMatchObject({ state: 'empty' });
  });

  it('jammed, door open, offline', async () => {
    expect((await read({ ...IDLE_PRINTER, errors: ['jammed'], alerts: [{ severity: 3, group: 13, code: 8, description: 'Paper jam' }] })).blocking).toEqual(['jammed']);
    expect((await read({ ...IDLE_PRINTER, errors: ['doorOpen'] })).blocking).toEqual(['doorOpen']);
    expect((await read({ ...IDLE_PRINTER, printerStatus: 1, errors: ['offline'] })).blocking).toEqual(['offline']);
  });

  it('low toner is reported and does not hold', async () => {
    const c = await read({
      ...IDLE_PRINTER,
      deviceStatus: 3,
      errors: ['lowToner'],
      supplies: [{ description: 'Black Toner Cartridge', supplyClass: 3, type: 21, unit: 19, maxCapacity: 100, level: 4 }],
      alerts: [{ severity: 4, group: 11, code: 1104, description: 'Toner low' }],
    });
    expect(c).toMatchObject({ deviceStatus: 'warning', errors: ['lowToner'], blocking: [] });
    expect(c.warnings).toEqual(['lowToner', 'low Black Toner Cartridge (4%)', 'Toner low']);
  });

  it('special and odd supply levels as the agent serves them: −3, −2, −1, −100, 150 of 100', async () => {
    const supply = (description: string, level: number) => ({ description, supplyClass: 3, type: 3, unit: 19, maxCapacity: 100, level });
    const c = await read({ ...IDLE_PRINTER, supplies: [supply('Cyan', -3), supply('Magenta', -2), supply('Yellow', -1), supply('Black', -100), supply('Drum', 150)] });
    expect(c.supplies.map((s) => [s.description, s.level, s.percent, s.state])).toEqual([
      ['Cyan', -3, null, 'someRemaining'],
      ['Magenta', -2, null, 'unknown'],
      ['Yellow', -1, null, 'unlimited'],
      ['Black', -100, 0, 'empty'],
      ['Drum', 150, 100, 'ok'],
    ]);
    expect(c.blocking).toEqual([]);
    expect(c.warnings).toEqual(['Black empty']);
  });

  it('a printer under another device index is found by its hrPrinterTable row', async () => {
    const other = await startSnmpAgent({ ...IDLE_PRINTER, errors: ['doorOpen'] }, { device: 7 });
    try {
      const r = await readPrinterSnmp({ host: '127.0.0.1', port: other.port, community: 'public' }, 2000);
      expect(r.deviceIndex).toBe(7);
      expect(printerCondition(r)).toMatchObject({ blocking: ['doorOpen'] });
      expect(r.supplies).toHaveLength(2);
    } finally {
      await other.close();
    }
  });

  it('no agent, or a wrong community: SnmpUnreachable naming host and port', async () => {
    const port = await freePort();
    await expect(readPrinterSnmp({ host: '127.0.0.1', port, community: 'public' }, 300)).rejects.toThrow(SnmpUnreachable);
    await expect(readPrinterSnmp({ host: '127.0.0.1', port: agent.port, community: 'wrong' }, 300)).rejects.toThrow(`SNMP 127.0.0.1:${agent.port}`);
  });
});
