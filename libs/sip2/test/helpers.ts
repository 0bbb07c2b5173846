import { Buffer } from 'node:buffer';
import { readMessage, type SipParseResult, type SipReadOptions } from '../src/index.js';

export const D = '20240301    101530';
export const DZ = '20240301   Z101530';
export const BLANK = ' '.repeat(18);

export const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');

export function readOk(frame: string | Buffer, opts?: SipReadOptions): SipParseResult {
  const r = readMessage(typeof frame === 'string' ? bytes(frame) : frame, opts);
  expect(r.errors).toEqual([]);
  expect(r.ok).toBe(true);
  return r;
}

export { prng } from '../../../test/support/prng.js';

/** One well-formed frame per message, fields in the order of the 3M guide (so typed rebuilds are byte-exact). */
export const FRAMES: Record<string, string> = {
  '93': '9300CNuser_id|COpassw0rd|CPcirc_desk|',
  '94': '941',
  '99': '9901202.00',
  '98': `98YYYYYN060003${D}2.00AOmain|AMCarrel Library|BXYYYYYYYYYYYYYYYY|ANkiosk 1|AFWelcome|`,
  '23': `23001${D}AOmain|AA2000001|AC|AD1234|`,
  '24': `24Y   Y         001${D}AOmain|AA2000001|AEJane Doe|BLY|CQY|BHUSD|BV0.00|`,
  '63': `63001${D}  Y       AOmain|AA2000001|AC|AD1234|BP1|BQ5|`,
  '64': `64              001${D}000100020003000000000000AOmain|AA2000001|AEJane Doe|BZ0010|CA0005|CB0020|BLY|CQY|BHUSD|BV1.50|CC10.00|AS30001|AU30002|AU30003|BDMain St 1|BEjane@example.org|BF555-0100|AFWelcome|PA20250101|PCADULT|`,
  '11': `11YN${D}${BLANK}AOmain|AA2000001|AB30001|AC|CHx|AD1234|BON|BIN|`,
  '12': `121YNY${D}AOmain|AA2000001|AB30001|AJThe Hobbit|AH20240315    235900|CK001|`,
  '09': `09N${D}${D}APfront desk|AOmain|AB30001|AC|BIN|`,
  '10': `101YNY${D}AOmain|AB30001|AQbranch2|AJThe Hobbit|CL3|CK001|CTbranch2|CV04|`,
  '29': `29NN${D}${BLANK}AOmain|AA2000001|AD1234|AB30001|AC|`,
  '30': `300NUN${D}AOmain|AA2000001|AB30001|AJThe Hobbit|AH|AFRenewal limit reached|`,
  '65': `65${D}AOmain|AA2000001|AD1234|`,
  '66': `66100020001${D}AOmain|BM30001|BM30002|BN30003|`,
  '17': `17${D}AOmain|AB30001|AC|`,
  '18': `18030201${D}AB30001|AJThe Hobbit|CF0|AQmain|APmain|CRFIC|CSFIC TOL|`,
  '19': `19${D}AOmain|AB30001|AC|CHdamaged|`,
  '20': `201${D}AB30001|AJThe Hobbit|CHdamaged|`,
  '35': `35${D}AOmain|AA2000001|AD1234|`,
  '36': `36Y${D}AOmain|AA2000001|AFGoodbye|`,
  '37': `37${D}0400USDBV1.50|AOmain|AA2000001|CGfee-17|BKtx-9|`,
  '38': `38Y${D}AOmain|AA2000001|BKtx-9|`,
  '15': `15+${D}BSbranch2|AOmain|AA2000001|AB30001|`,
  '16': `161N${D}BR2|BSbranch2|AOmain|AA2000001|AB30001|AJThe Hobbit|`,
  '25': `25${D}AOmain|AA2000001|`,
  '26': `26              001${D}AOmain|AA2000001|AEJane Doe|BLY|`,
  '01': `01N${D}AOmain|ALCard retained|AA2000001|AC|`,
  '97': '97',
  '96': '96',
};
