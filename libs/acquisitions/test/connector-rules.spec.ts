import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIRST_RETRY_MS, MAX_RETRY_MS, nextRetryAt, retryDelayMs } from '../src/backoff.js';
import { globToRegExp, kindOfName, matchesAny, parseFolders, remoteJoin, renamedAfterDownload } from '../src/file-kinds.js';
import { fingerprintOf, hostKeyMatches, parseTrustedHostKey } from '../src/host-key.js';

describe('file kinds and names', () => {
  it('follows Koha\'s extensions, case-insensitively', () => {
    expect(kindOfName('BLS123.CEI')).toBe('invoice');
    expect(kindOfName('x.cea')).toBe('order-response');
    expect(kindOfName('q.CEQ')).toBe('quote');
    expect(kindOfName('shelf.mrc')).toBe('marc');
    expect(kindOfName('notes.txt')).toBe('unknown');
  });

  it('renames as Koha does once fetched: .CEI -> .EEI, keeping case; other names get .done', () => {
    expect(renamedAfterDownload('A.CEI')).toBe('A.EEI');
    expect(renamedAfterDownload('b.cea')).toBe('b.eea');
    expect(renamedAfterDownload('c.CEQ')).toBe('c.EEQ');
    expect(renamedAfterDownload('d.mrc')).toBe('d.mrc.done');
    // the renamed file no longer matches the pattern that fetched it
    expect(matchesAny(renamedAfterDownload('A.CEI'), ['*.CEI'])).toBe(false);
  });

  it('treats pattern characters literally except * and ?', () => {
    expect(globToRegExp('inv(1).CEI').test('inv(1).CEI')).toBe(true);
    expect(matchesAny('a.b', ['a?b'])).toBe(true);
    expect(matchesAny('aXXb', ['a?b'])).toBe(false);
    expect(matchesAny('x.CEIx', ['*.CEI'])).toBe(false);
  });

  it('joins remote paths with /', () => {
    expect(remoteJoin('.', 'a')).toBe('a');
    expect(remoteJoin('/out/', 'a')).toBe('/out/a');
  });

  it('checks folders and says what is wrong', () => {
    expect(parseFolders('[{"kind":"invoice","path":"/out","patterns":["*.CEI"]}]')).toHaveLength(1);
    expect(() => parseFolders('[]')).toThrow(/non-empty/);
    expect(() => parseFolders('{')).toThrow(/JSON/);
    expect(() => parseFolders([{ kind: 'pizza', path: '/', patterns: ['*'] }])).toThrow(/kind/);
    expect(() => parseFolders([{ kind: 'invoice', path: '/', patterns: ['../*'] }])).toThrow(/patterns/);
    expect(() => parseFolders([{ kind: 'invoice', path: 'a\nb', patterns: ['*'] }])).toThrow(/path/);
  });
});

describe('back-off', () => {
  it('doubles from one minute to at most six hours', () => {
    expect(retryDelayMs(0)).toBe(0);
    expect(retryDelayMs(1)).toBe(FIRST_RETRY_MS);
    expect(retryDelayMs(2)).toBe(2 * FIRST_RETRY_MS);
    expect(retryDelayMs(5)).toBe(16 * FIRST_RETRY_MS);
    expect(retryDelayMs(50)).toBe(MAX_RETRY_MS);
    expect(nextRetryAt(new Date('2026-11-28T12:00:00Z'), 3).toISOString()).toBe('2026-11-28T12:04:00.000Z');
  });
});

describe('trusted host keys', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-hostkey-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const keyFile = (name: string) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(dir, name)]);
    const pub = readFileSync(path.join(dir, `${name}.pub`), 'utf8').trim();
    const fp = execFileSync('ssh-keygen', ['-l', '-f', path.join(dir, `${name}.pub`)], { encoding: 'utf8' }).split(/\s+/)[1]!;
    return { pub, blob: Buffer.from(pub.split(/\s+/)[1]!, 'base64'), fp };
  };

  it('accepts the key as a .pub line, a known_hosts line or ssh-keygen\'s fingerprint, and matches only that key', () => {
    const a = keyFile('a');
    const b = keyFile('b');
    expect(fingerprintOf(a.blob)).toBe(a.fp);
    for (const form of [a.pub, `[sftp.vendor.example]:2222 ${a.pub}`, a.fp]) {
      const t = parseTrustedHostKey(form);
      expect(hostKeyMatches(t, a.blob)).toBe(true);
      expect(hostKeyMatches(t, b.blob)).toBe(false);
    }
  });

  it('refuses to be empty or anything like "trust all"', () => {
    for (const bad of ['', '   ', '*', 'any', 'ssh-ed25519', 'ssh-ed25519 !!!!', 'SHA256:short', 'ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIOnly']) {
      expect(() => parseTrustedHostKey(bad)).toThrow(/hostKey/);
    }
  });
});
