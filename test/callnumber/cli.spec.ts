// `carrel callnumber split|sortkey`, run as an operator runs it: the built command in a child process.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { callNumberSortKey, splitCallNumber } from '@carrel/callnumber';
import { ROOT } from '../support/databases.js';

/** The built `carrel` command (the suite builds before it runs). Needs no database. */
function carrel(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'carrel.js'), ...args], {
    cwd: ROOT, env: { ...process.env, CARREL_CONFIG: '' }, encoding: 'utf8', timeout: 60_000,
  });
  if (r.error) throw new Error(`carrel ${args.join(' ')}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('carrel callnumber', () => {
  it('split prints the spine lines, top to bottom', () => {
    expect(carrel(['callnumber', 'split', 'QA76.73.J38 S65 2019 v.2'])).toEqual({ status: 0, stdout: 'QA\n76.73\n.J38\nS65\n2019\nv.2\n', stderr: '' });
    // Unquoted words are one call number; the scheme and a separate prefix and suffix are honoured.
    expect(carrel(['callnumber', 'split', 'J', '500', 'c.2', '--scheme', 'dewey']).stdout).toBe('J\n500\nc.2\n');
    expect(carrel(['callnumber', 'split', 'ML 60 R75', '--scheme', 'lc', '--prefix', 'STORAGE BR4', '--suffix', 'DEPOSITORY']).stdout).toBe('STORAGE BR4\nML\n60\nR75\nDEPOSITORY\n');
    expect(carrel(['callnumber', 'split', 'FIC BRONTË c.2']).stdout).toBe('FIC\nBRONTË\nc.2\n');
  });

  it('sortkey prints the key the catalog stores, and the scheme with --verbose', () => {
    expect(carrel(['callnumber', 'sortkey', 'QA76.73 .J38 2019'])).toEqual({ status: 0, stdout: `${callNumberSortKey('QA76.73 .J38 2019')}\n`, stderr: '' });
    expect(carrel(['callnumber', 'sortkey', 'R 241 .F2498', '--scheme', 'lc', '--verbose']).stdout).toBe(`${callNumberSortKey('R 241 .F2498', 'lc')}\nscheme: lc (named)\n`);
    expect(carrel(['callnumber', 'sortkey', '--verbose', 'REF 031 ENC 2020']).stdout).toBe(`${callNumberSortKey('REF 031 ENC 2020')}\nscheme: dewey (detected)\n`);
    // Keys printed for volumes compare as shelf order.
    const v2 = carrel(['callnumber', 'sortkey', 'QA1 .B2 v.2']).stdout.trim();
    const v10 = carrel(['callnumber', 'sortkey', 'QA1 .B2 v.10']).stdout.trim();
    expect(v2 < v10).toBe(true);
  });

  it('agrees with the library for a handful of call numbers', () => {
    for (const cn of ['HE8700.7 .P6T44 1983', 'CD-ROM 787.87 EAS', 'DVD 1234']) {
      expect(carrel(['callnumber', 'split', cn]).stdout).toBe(splitCallNumber(cn).map((l) => `${l}\n`).join(''));
    }
  });

  it('exits 2 with the reason on bad input', () => {
    expect(carrel(['callnumber', 'split', '....'])).toMatchObject({ status: 2, stdout: '', stderr: 'carrel callnumber: "...." holds no call number\n' });
    // '--' ends the options, for text that starts with a dash
    expect(carrel(['callnumber', 'sortkey', '--', '-/-'])).toMatchObject({ status: 2, stdout: '', stderr: 'carrel callnumber: "-/-" holds no call number\n' });
    const scheme = carrel(['callnumber', 'sortkey', 'QA1', '--scheme', 'udc']);
    expect(scheme.status).toBe(2);
    expect(scheme.stderr).toMatch(/--scheme must be one of lc, dewey, generic/);
    const missing = carrel(['callnumber', 'split']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'text'/);
    expect(carrel(['callnumber', 'reshelve', 'QA1']).status).not.toBe(0);
  });

  it('lists both subcommands in its help', () => {
    const help = carrel(['callnumber', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/split \[options\] <text\.\.\.>/);
    expect(help.stdout).toMatch(/sortkey \[options\] <text\.\.\.>/);
  });
});
