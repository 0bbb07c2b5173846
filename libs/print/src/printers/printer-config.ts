import { readFileSync } from 'node:fs';
import { checkLabelProfile, LabelConfigError, type LabelProfile } from '../labels/templates.js';

/**
 * The printers a library prints to, from the `print.printers` setting. Checked once, whole, so a typo in
 * one printer's URI stops the hub at start with the printer and the field named, not at 2 a.m. when the
 * notices batch goes out.
 */

export interface SnmpTarget {
  host: string;
  port: number;
  community: string;
}

export type PrinterProtocol = 'ipp' | 'ipps' | 'socket';

export interface PrinterConfig {
  name: string;
  uri: string;
  protocol: PrinterProtocol;
  host: string;
  port: number;
  /** the HTTP path of an IPP printer (/ipp/print, /printers/NAME) */
  path: string;
  snmp: SnmpTarget | null;
  /** branch code the printer stands in */
  branch: string | null;
  /** IPP media keyword sent with every job, e.g. na_letter_8.5x11in, iso_a4_210x297mm */
  media: string | null;
  labelProfile: LabelProfile | null;
  /** IPPS only: accept a certificate no authority signed (most printers make their own) */
  tlsInsecure: boolean;
  /**
   * IPPS only: the PEM certificate(s) to trust for this printer instead of the system's authorities,
   * read from `caFile` at start: the printer's own self-signed certificate, or the library's CA.
   */
  ca: string | null;
}

export class PrinterConfigError extends Error {}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MEDIA = /^[a-z0-9][a-z0-9._-]*$/;
const KNOWN = new Set(['name', 'uri', 'snmp', 'branch', 'media', 'labelProfile', 'tlsInsecure', 'caFile']);
const DEFAULT_PORTS: Record<PrinterProtocol, number> = { ipp: 631, ipps: 631, socket: 9100 };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the setting's value (already JSON-parsed); throws PrinterConfigError naming printer and field. */
export function parsePrinters(value: unknown, setting = 'print.printers'): PrinterConfig[] {
  if (value === undefined || value === null || value === '') return [];
  if (!Array.isArray(value)) throw new PrinterConfigError(`${setting} must be a JSON array of printers, got ${JSON.stringify(value)}`);
  const seen = new Set<string>();
  return value.map((entry, i) => {
    const label = isObject(entry) && typeof entry.name === 'string' && entry.name ? `printer "${entry.name}"` : `printer #${i + 1}`;
    const fail = (field: string, msg: string, got: unknown): never => {
      throw new PrinterConfigError(`${setting}: ${label}: ${field} ${msg}, got ${JSON.stringify(got)}`);
    };
    if (!isObject(entry)) return fail('entry', 'must be an object {name, uri, …}', entry);
    for (const k of Object.keys(entry)) if (!KNOWN.has(k)) fail(k, `is not a printer field (known: ${[...KNOWN].join(', ')})`, entry[k]);
    const name = entry.name;
    if (typeof name !== 'string' || !NAME.test(name)) return fail('name', 'must be 1–64 letters, digits, dot, dash or underscore', name);
    if (seen.has(name)) return fail('name', 'is used by two printers', name);
    seen.add(name);

    const uri = entry.uri;
    if (typeof uri !== 'string') return fail('uri', 'must be ipp://…, ipps://… or socket://host:9100', uri);
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return fail('uri', 'is not a URI (ipp://host/ipp/print, ipps://host/ipp/print or socket://host:9100)', uri);
    }
    const protocol = url.protocol.replace(/:$/, '') as PrinterProtocol;
    if (!(protocol in DEFAULT_PORTS)) return fail('uri', 'must use ipp, ipps or socket (raw TCP)', uri);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (!host) return fail('uri', 'names no host', uri);
    if (url.username || url.password) return fail('uri', 'must not carry a user or password', uri);
    const port = url.port ? Number(url.port) : DEFAULT_PORTS[protocol];
    if (protocol === 'socket' && url.pathname && url.pathname !== '/' && url.pathname !== '') return fail('uri', 'of a raw socket printer has no path (socket://host:9100)', uri);
    const path = protocol === 'socket' ? '' : url.pathname && url.pathname !== '/' ? url.pathname : '/ipp/print';

    let snmp: SnmpTarget | null = null;
    if (entry.snmp !== undefined && entry.snmp !== null) {
      const s = entry.snmp;
      if (!isObject(s)) return fail('snmp', 'must be an object {host, port?, community?}', s);
      for (const k of Object.keys(s)) if (!['host', 'port', 'community'].includes(k)) fail(`snmp.${k}`, 'is not an SNMP field (host, port, community)', s[k]);
      if (typeof s.host !== 'string' || !s.host.trim() || /\s/.test(s.host)) return fail('snmp.host', 'must be a host name or address', s.host);
      const sport = s.port ?? 161;
      if (typeof sport !== 'number' || !Number.isInteger(sport) || sport < 1 || sport > 65535) return fail('snmp.port', 'must be a port number 1–65535', s.port);
      const community = s.community ?? 'public';
      if (typeof community !== 'string' || !community) return fail('snmp.community', 'must be a non-empty text', s.community);
      snmp = { host: s.host, port: sport, community };
    }

    const branch = entry.branch ?? null;
    if (branch !== null && (typeof branch !== 'string' || !branch.trim())) return fail('branch', 'must be a branch code', branch);
    const media = entry.media ?? null;
    if (media !== null && (typeof media !== 'string' || !MEDIA.test(media))) return fail('media', 'must be an IPP media keyword such as na_letter_8.5x11in or iso_a4_210x297mm', media);
    if (media !== null && protocol === 'socket') return fail('media', 'cannot be sent to a raw socket printer (no job attributes over port 9100)', media);

    let labelProfile: LabelProfile | null = null;
    if (entry.labelProfile !== undefined && entry.labelProfile !== null) {
      try {
        labelProfile = checkLabelProfile(entry.labelProfile, `${setting}: ${label}: labelProfile`);
      } catch (e) {
        if (e instanceof LabelConfigError) throw new PrinterConfigError(e.message);
        throw e;
      }
    }
    const tlsInsecure = entry.tlsInsecure ?? false;
    if (typeof tlsInsecure !== 'boolean') return fail('tlsInsecure', 'must be true or false', tlsInsecure);
    if (tlsInsecure && protocol !== 'ipps') return fail('tlsInsecure', 'applies to ipps:// printers only', tlsInsecure);

    let ca: string | null = null;
    const caFile = entry.caFile ?? null;
    if (caFile !== null) {
      if (typeof caFile !== 'string' || !caFile.trim()) return fail('caFile', 'must be the path of a PEM certificate file', caFile);
      if (protocol !== 'ipps') return fail('caFile', 'applies to ipps:// printers only', caFile);
      if (tlsInsecure) return fail('caFile', 'and tlsInsecure together make no sense (tlsInsecure trusts any certificate)', caFile);
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (e) {
        return fail('caFile', `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, caFile);
      }
      if (!ca.includes('-----BEGIN CERTIFICATE-----')) return fail('caFile', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)', caFile);
    }

    return { name, uri, protocol, host, port, path, snmp, branch, media, labelProfile, tlsInsecure, ca };
  });
}

/** The printer to use: the named one, or print.defaultPrinter, or the only one configured. */
export function choosePrinter(printers: PrinterConfig[], requested: string | undefined | null, defaultPrinter: string): PrinterConfig {
  const name = requested || defaultPrinter || (printers.length === 1 ? printers[0]!.name : '');
  if (!name) throw new PrinterConfigError(printers.length ? `no printer named and print.defaultPrinter is empty (printers: ${printers.map((p) => p.name).join(', ')})` : 'no printers are configured (setting print.printers)');
  const found = printers.find((p) => p.name === name);
  if (!found) throw new PrinterConfigError(`printer "${name}" is not configured (printers: ${printers.map((p) => p.name).join(', ') || 'none'})`);
  return found;
}
