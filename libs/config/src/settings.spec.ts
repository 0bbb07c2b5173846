import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, describeSettings, loadSettings, SETTINGS } from './settings.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-config-'));
const load = (env: Record<string, string>, file?: string | null) => loadSettings({ env, baseDir: '/srv/carrel', file: file === undefined ? null : file });

describe('settings', () => {
  it('has a default for every setting', () => {
    const s = load({});
    expect(s['database.url']).toBe('file:./data/carrel.db');
    expect(s['http.port']).toBe(3000);
    expect(s['http.enabled']).toBe(true);
    expect(s['sip2.enabled']).toBe(false);
    expect(s['import.itemMapping']).toBe('koha-952');
    expect(s['fixtures.dir']).toBe('/srv/shared/fixtures');
    expect(Object.keys(s).sort()).toEqual(Object.keys(SETTINGS).sort());
  });

  it('reads environment variables over the config file over defaults', () => {
    const file = path.join(dir, 'carrel.json');
    writeFileSync(file, JSON.stringify({ 'http.port': 4000, 'log.level': 'debug', 'import.itemMapping': { tag: '949', barcode: 'i' } }));
    const s = load({ CARREL_HTTP_PORT: '5000', CARREL_SCHEDULER_ENABLED: 'off' }, file);
    expect(s['http.port']).toBe(5000);
    expect(s['log.level']).toBe('debug');
    expect(s['scheduler.enabled']).toBe(false);
    expect(s['import.itemMapping']).toEqual({ tag: '949', barcode: 'i' });
  });

  it.each([
    [{ CARREL_HTTP_PORT: 'abc' }, /http\.port \(environment variable CARREL_HTTP_PORT\) must be a whole number, got "abc"/],
    [{ CARREL_HTTP_PORT: '70000' }, /http\.port .* must be between 1 and 65535/],
    [{ CARREL_HTTP_ENABLED: 'maybe' }, /http\.enabled .* must be true or false/],
    [{ CARREL_LOG_LEVEL: 'loud' }, /log\.level .* must be one of fatal, error/],
    [{ CARREL_PIN_HASH_COST: '10' }, /security\.pinHashCost .* must be between 1024/],
    [{ CARREL_PIN_HASH_COST: '3000' }, /security\.pinHashCost .* must be a power of two/],
    [{ CARREL_TIME_ZONE: 'Mars/Olympus' }, /circulation\.timeZone .* must be an IANA time zone/],
    [{ CARREL_CURRENCY: 'dollars' }, /circulation\.currency .* three-letter/],
    [{ DATABASE_URL: 'mysql://x/y' }, /database\.url .* must start with file: \(SQLite\) or postgresql:\/\//],
    [{ CARREL_IMPORT_ITEM_MAPPING: '{nope' }, /import\.itemMapping .* is not valid JSON/],
  ])('stops on a wrong value, naming the setting: %j', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('rejects a config file that is not JSON, holds unknown settings, or does not exist', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{ "http.port": ');
    expect(() => load({}, bad)).toThrow(/is not valid JSON/);
    const unknown = path.join(dir, 'unknown.json');
    writeFileSync(unknown, JSON.stringify({ 'http.prot': 1 }));
    expect(() => load({}, unknown)).toThrow(/unknown setting "http.prot"/);
    expect(() => load({}, path.join(dir, 'missing.json'))).toThrow(/does not exist/);
    expect(() => loadSettings({ env: { CARREL_CONFIG: path.join(dir, 'missing.json') }, baseDir: dir })).toThrow(/does not exist/);
  });

  it('describes every setting with its environment variable', () => {
    const all = describeSettings();
    expect(all.length).toBe(Object.keys(SETTINGS).length);
    for (const s of all) expect(s.env).toMatch(/^(DATABASE_URL|CARREL_[A-Z0-9_]+)$/);
  });
});
