// Koha's SIPconfig.xml -> Carrel SIP2 accounts and listeners. Pure parse, then an import that hashes passwords.
import { XMLParser } from 'fast-xml-parser';
import { hashPin } from '@carrel/patrons';
import { normalizeCharset } from '@carrel/sip2';
import type { Sip2Account, Sip2AccountCharset, Sip2Listener } from './options.js';

/** An account as read from Koha: the plain password, for the caller to hash. */
export type KohaSipAccount = Omit<Sip2Account, 'passwordHash'> & { password: string };

export interface KohaSipConfig {
  accounts: KohaSipAccount[];
  listeners: Sip2Listener[];
  /** from the RAW listener's client_timeout, when set */
  defaultIdleTimeoutSeconds?: number;
  /** everything Carrel does not carry over, in words */
  warnings: string[];
}

const ALL_MESSAGES = ['23', '11', '09', '01', '99', '63', '35', '37', '17', '19', '25', '15', '29', '65'];
/** Login attributes Carrel maps. Everything else becomes a warning. */
const MAPPED = new Set(['id', 'password', 'institution', 'encoding', 'terminator', 'delimiter', 'error-detect', 'hide_fields', 'ct_always_send', 'cv_send_00_on_success']);

type Node = Record<string, unknown>;

const asArray = (v: unknown): Node[] => (v === undefined || v === null || v === '' ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);
const attr = (n: Node, name: string): string | undefined => {
  const v = n[`@_${name}`];
  return v === undefined || v === null ? undefined : String(v);
};
const truthy = (v: string | undefined): boolean => v !== undefined && /^(1|true|yes|enabled|on)$/i.test(v.trim());
const falsy = (v: string | undefined): boolean => v !== undefined && /^(0|false|no|disabled|off)$/i.test(v.trim());

/** Reads Koha's SIPconfig.xml. Never throws on content it does not know: that goes to `warnings`. */
export function parseKohaSipConfig(xml: string): KohaSipConfig {
  const warnings: string[] = [];
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false, parseTagValue: false, removeNSPrefix: true });
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (e) {
    return { accounts: [], listeners: [], warnings: [`not readable as XML: ${(e as Error).message}`] };
  }
  const root = (doc.acsconfig ?? doc) as Node;
  if (!doc.acsconfig) warnings.push('no <acsconfig> root element; reading the document as is');
  const globalErrorDetect = truthy(attr((root['error-detect'] ?? {}) as Node, 'enabled'));

  // institutions: policy flags per institution id
  const policies = new Map<string, Node>();
  for (const inst of asArray((root.institutions as Node | undefined)?.institution)) {
    const id = attr(inst, 'id');
    if (!id) continue;
    const impl = attr(inst, 'implementation');
    if (impl && impl !== 'ILS') warnings.push(`institution "${id}": implementation "${impl}" ignored (Carrel is the ILS side)`);
    policies.set(id, (inst.policy ?? {}) as Node);
  }

  // listeners
  const listeners: Sip2Listener[] = [];
  let defaultIdleTimeoutSeconds: number | undefined;
  for (const s of asArray((root.listeners as Node | undefined)?.service)) {
    const port = attr(s, 'port') ?? '';
    const transport = (attr(s, 'transport') ?? 'RAW').toUpperCase();
    const protocol = attr(s, 'protocol');
    if (transport !== 'RAW') {
      warnings.push(`listener ${port}: transport "${attr(s, 'transport')}" is not supported (Carrel speaks raw SIP2 over TCP or TLS); skipped`);
      continue;
    }
    if (protocol && !/^SIP\/2/i.test(protocol)) warnings.push(`listener ${port}: protocol "${protocol}" is not SIP/2.00; skipped`);
    const m = /^(?:(.*):)?(\d+)(?:\/(tcp|udp))?$/i.exec(port.trim());
    if (!m || (m[3] && m[3].toLowerCase() !== 'tcp')) {
      warnings.push(`listener "${port}": not a TCP port; skipped`);
      continue;
    }
    const host = m[1] && m[1] !== '0' && m[1] !== '*' ? m[1] : undefined;
    listeners.push(host ? { host, port: Number(m[2]) } : { port: Number(m[2]) });
    const ct = attr(s, 'client_timeout');
    if (ct !== undefined && /^\d+$/.test(ct)) defaultIdleTimeoutSeconds = Number(ct);
    for (const k of Object.keys(s)) {
      const name = k.replace(/^@_/, '');
      if (!['port', 'transport', 'protocol', 'client_timeout', 'timeout'].includes(name)) warnings.push(`listener ${port}: ${name} ignored`);
    }
    if (attr(s, 'timeout') !== undefined) warnings.push(`listener ${port}: timeout (login timeout) ${attr(s, 'timeout')} s not carried over; Carrel's loginTimeoutSeconds applies`);
  }

  // accounts
  const accounts: KohaSipAccount[] = [];
  const seen = new Set<string>();
  for (const l of asArray((root.accounts as Node | undefined)?.login)) {
    const login = attr(l, 'id');
    if (!login) {
      warnings.push('a <login> without id skipped');
      continue;
    }
    if (seen.has(login)) {
      warnings.push(`login "${login}": defined twice; the first is kept`);
      continue;
    }
    seen.add(login);
    const w = (msg: string) => warnings.push(`login "${login}": ${msg}`);
    const institution = attr(l, 'institution') ?? '';
    if (!institution) w('no institution; branchCode left empty');
    else if (policies.size > 0 && !policies.has(institution)) w(`institution "${institution}" has no <institution> entry`);

    let charset: Sip2AccountCharset = 'utf-8';
    const enc = attr(l, 'encoding');
    if (enc) {
      const n = normalizeCharset(enc);
      if (n === 'ascii') w('encoding ascii: Carrel uses utf-8, which is the same for ASCII text');
      else if (n) charset = n;
      else w(`encoding "${enc}" is not supported; utf-8 used`);
    }
    const term = (attr(l, 'terminator') ?? 'CRLF').toUpperCase();
    const terminator: '\r' | '\r\n' = term === 'CR' ? '\r' : '\r\n';
    if (term !== 'CR' && term !== 'CRLF') w(`terminator "${attr(l, 'terminator')}" unknown; CRLF used`);
    const delimiter = attr(l, 'delimiter');
    if (delimiter !== undefined && delimiter !== '|') w(`delimiter "${delimiter}" is not supported; "|" used`);
    const ed = attr(l, 'error-detect');
    if (truthy(ed) || (ed === undefined && globalErrorDetect)) {
      w('error-detect enabled: Carrel verifies AZ when sent and answers with AY/AZ when the request carries them (checksum "verify"); use "require" to refuse frames without AZ');
    }
    const password = attr(l, 'password') ?? '';
    if (password === '') w('empty password');

    const account: KohaSipAccount = { login, password, institution, branchCode: institution, charset, terminator, checksum: 'verify' };
    const hide = attr(l, 'hide_fields');
    if (hide) account.hideFields = hide.split(/[,\s]+/).filter((c) => /^[A-Z0-9]{2}$/i.test(c)).map((c) => c.toUpperCase());
    if (truthy(attr(l, 'ct_always_send'))) account.alwaysSend = ['CT'];
    if (truthy(attr(l, 'cv_send_00_on_success'))) account.cvSendOnSuccess = true;

    const policy = policies.get(institution);
    if (policy) {
      const denied = new Set<string>();
      if (falsy(attr(policy, 'checkin'))) denied.add('09');
      if (falsy(attr(policy, 'checkout'))) denied.add('11');
      if (falsy(attr(policy, 'renewal'))) { denied.add('29'); denied.add('65'); }
      if (falsy(attr(policy, 'status_update'))) denied.add('19');
      if (denied.size > 0) account.allowedMessages = ALL_MESSAGES.filter((m) => !denied.has(m));
      const timeout = attr(policy, 'timeout');
      if (timeout && /^\d+$/.test(timeout)) account.timeoutPeriod = Math.min(999, Number(timeout));
      const retries = attr(policy, 'retries');
      if (retries && /^\d+$/.test(retries)) account.retriesAllowed = Math.min(999, Number(retries));
      if (truthy(attr(policy, 'offline'))) w('policy offline="true": Carrel reports offline not ok');
    }

    for (const k of Object.keys(l)) {
      if (k.startsWith('@_')) {
        const name = k.slice(2);
        if (!MAPPED.has(name)) w(`${name}="${attr(l, name)}" has no Carrel equivalent; ignored`);
      } else if (k !== '#text') {
        w(`<${k}> has no Carrel equivalent; ignored`);
      }
    }
    accounts.push(account);
  }
  if (accounts.length === 0) warnings.push('no <login> accounts found');
  for (const k of Object.keys(root)) {
    if (!['accounts', 'institutions', 'listeners', 'error-detect', 'server-params', '@_xmlns'].includes(k) && !k.startsWith('@_') && k !== '#text') {
      warnings.push(`<${k}> ignored`);
    }
  }
  return { accounts, listeners, defaultIdleTimeoutSeconds, warnings };
}

/**
 * `carrel sip import-koha-config FILE`: reads SIPconfig.xml and gives the Carrel accounts file (a JSON array
 * of Sip2Account, passwords hashed with scrypt) and the warnings to show. The listeners found are reported
 * as a warning line, since they belong in the sip2.listeners setting.
 */
export async function importKohaSipConfig(xml: string, options: { pinHashCost?: number } = {}): Promise<{ accountsJson: string; warnings: string[] }> {
  const parsed = parseKohaSipConfig(xml);
  const accounts: Sip2Account[] = [];
  for (const { password, ...rest } of parsed.accounts) {
    accounts.push({ ...rest, passwordHash: await hashPin(password, options.pinHashCost) });
  }
  const warnings = [...parsed.warnings];
  if (parsed.listeners.length > 0) warnings.push(`listeners to configure in sip2.listeners: ${JSON.stringify(parsed.listeners)}`);
  if (parsed.defaultIdleTimeoutSeconds !== undefined) warnings.push(`client_timeout ${parsed.defaultIdleTimeoutSeconds} s: set idleTimeoutSeconds on the accounts or the server's defaultIdleTimeoutSeconds`);
  return { accountsJson: JSON.stringify(accounts, null, 2) + '\n', warnings };
}

/** Reads and checks an accounts file (JSON array of Sip2Account). Throws with a readable message when wrong. */
export function parseSip2Accounts(json: string): Sip2Account[] {
  const data = JSON.parse(json) as unknown;
  const list = Array.isArray(data) ? data : (data as { accounts?: unknown })?.accounts;
  if (!Array.isArray(list)) throw new Error('SIP2 accounts file: expected a JSON array of accounts');
  return list.map((a: Record<string, unknown>, i: number) => {
    const where = `SIP2 account ${i + 1}${typeof a.login === 'string' ? ` (${a.login})` : ''}`;
    for (const k of ['login', 'passwordHash', 'institution']) if (typeof a[k] !== 'string') throw new Error(`${where}: ${k} must be a string`);
    const charset = normalizeCharset(String(a.charset ?? 'utf-8'));
    if (charset !== 'utf-8' && charset !== 'cp850' && charset !== 'iso-8859-1') throw new Error(`${where}: charset must be utf-8, cp850 or iso-8859-1`);
    const terminator = a.terminator ?? '\r';
    if (terminator !== '\r' && terminator !== '\r\n') throw new Error(`${where}: terminator must be "\\r" or "\\r\\n"`);
    const checksum = a.checksum ?? 'verify';
    if (checksum !== 'verify' && checksum !== 'require' && checksum !== 'ignore') throw new Error(`${where}: checksum must be verify, require or ignore`);
    return { ...(a as object), branchCode: typeof a.branchCode === 'string' ? a.branchCode : String(a.institution), charset, terminator, checksum } as Sip2Account;
  });
}
