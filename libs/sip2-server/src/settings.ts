import { existsSync, readFileSync } from 'node:fs';
import type { CarrelSettings } from '@carrel/config';
import { parseSip2Accounts } from './koha-config.js';
import type { Sip2Listener, Sip2ServerOptions } from './options.js';

/** Checks the sip2.listeners setting. */
export function parseSip2Listeners(value: unknown): Sip2Listener[] {
  if (!Array.isArray(value) || value.length === 0) throw new Error('sip2.listeners: expected a non-empty JSON array of {host?, port, tls?}');
  return value.map((l: Record<string, unknown>, i) => {
    const where = `sip2.listeners[${i}]`;
    if (typeof l !== 'object' || l === null) throw new Error(`${where}: expected an object`);
    const port = l.port;
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${where}: port must be 0-65535`);
    if (l.host !== undefined && typeof l.host !== 'string') throw new Error(`${where}: host must be a string`);
    const out: Sip2Listener = { port };
    if (typeof l.host === 'string') out.host = l.host;
    if (l.tls !== undefined) {
      const t = l.tls as Record<string, unknown>;
      if (typeof t?.certFile !== 'string' || typeof t?.keyFile !== 'string') throw new Error(`${where}: tls needs certFile and keyFile (PEM paths)`);
      if (!existsSync(t.certFile)) throw new Error(`${where}: certificate ${t.certFile} not found`);
      if (!existsSync(t.keyFile)) throw new Error(`${where}: key ${t.keyFile} not found`);
      out.tls = { certFile: t.certFile, keyFile: t.keyFile };
    }
    return out;
  });
}

/** Server options from Carrel's settings: listeners, the accounts file, frame limit, time zone, shutdown grace. */
export function sip2OptionsFromSettings(settings: CarrelSettings): Sip2ServerOptions {
  const file = settings['sip2.accountsFile'];
  if (!existsSync(file)) {
    throw new Error(`SIP2 accounts file ${file} not found: write one (see libs/sip2-server/README.md) or run \`carrel sip import-koha-config SIPconfig.xml\``);
  }
  return {
    listeners: parseSip2Listeners(settings['sip2.listeners']),
    accounts: parseSip2Accounts(readFileSync(file, 'utf8')),
    maxFrameBytes: settings['sip2.maxFrameBytes'],
    shutdownGraceMs: settings['shutdown.graceMs'],
    timeZone: settings['circulation.timeZone'] || 'process',
  };
}
