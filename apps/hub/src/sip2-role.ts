import { existsSync, readFileSync } from 'node:fs';
import type { DynamicModule } from '@nestjs/common';
import { CirculationModule, type LostReturnPolicy } from '@carrel/circulation';
import { ConfigError, type CarrelSettings } from '@carrel/config';
import { parseSip2Accounts, Sip2ServerModule, type Sip2Listener } from '@carrel/sip2-server';

const circulationModules = new WeakMap<CarrelSettings, DynamicModule>();

/**
 * The circulation options from settings, shared by the SIP2 role and anything else that circulates.
 * One module object per settings: Nest tells dynamic modules apart by reference, so every role that
 * imports it shares one engine (and its cache).
 */
export function circulationModule(settings: CarrelSettings): DynamicModule {
  let mod = circulationModules.get(settings);
  if (!mod) {
    mod = CirculationModule.forRoot({
      timeZone: settings['circulation.timeZone'] || undefined,
      currency: settings['circulation.currency'],
      holdShelfDays: settings['circulation.holdShelfDays'],
      sortBinRules: asStringList(settings['circulation.sortBinRules'], 'circulation.sortBinRules'),
      lostItemCharge: settings['circulation.lostItemCharge'] || null,
      lostReturnPolicy: settings['circulation.lostReturnPolicy'] as LostReturnPolicy,
      cancelWindowSeconds: settings['circulation.cancelWindowSeconds'],
    });
    circulationModules.set(settings, mod);
  }
  return mod;
}

/** The SIP2 role: listeners and accounts from settings, backed by the local circulation engine. */
export function sip2Module(settings: CarrelSettings): DynamicModule {
  const file = settings['sip2.accountsFile'];
  if (!existsSync(file)) {
    throw new ConfigError(`Configuration error: sip2.accountsFile (CARREL_SIP2_ACCOUNTS_FILE) ${file} does not exist; SIP2 needs accounts (see config/sip2-accounts.example.json)`);
  }
  let accounts;
  try {
    accounts = parseSip2Accounts(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ConfigError(`Configuration error: sip2.accountsFile ${file}: ${(e as Error).message}`);
  }
  const listeners = settings['sip2.listeners'];
  if (!Array.isArray(listeners) || listeners.some((l) => typeof l !== 'object' || l === null || !Number.isInteger((l as { port?: unknown }).port))) {
    throw new ConfigError('Configuration error: sip2.listeners (CARREL_SIP2_LISTENERS) must be a JSON array of {"port": N, "host"?: "…", "tls"?: {"certFile", "keyFile"}}');
  }
  return Sip2ServerModule.forRoot({ listeners: listeners as Sip2Listener[], accounts, maxFrameBytes: settings['sip2.maxFrameBytes'] }, { imports: [circulationModule(settings)] });
}

function asStringList(v: unknown, key: string): string[] {
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
  throw new ConfigError(`Configuration error: ${key} must be a JSON array of strings`);
}
