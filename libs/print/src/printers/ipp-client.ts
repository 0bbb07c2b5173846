import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipp from 'ipp';
import type { PrinterConfig } from './printer-config.js';

/**
 * IPP over HTTP(S) with the `ipp` package's encoder and decoder. The transport is Carrel's own (not the
 * package's request helper) for a timeout on every request, certificates of printers that sign their own,
 * and errors a retry policy can tell apart: a refusal by the printer (an IPP status) from a network fault.
 */

/** The printer answered with an IPP error status, e.g. server-error-busy. */
export class IppStatusError extends Error {
  constructor(
    readonly operation: string,
    readonly status: string,
    message?: string,
  ) {
    super(`${operation}: ${status}${message ? ` (${message})` : ''}`);
  }
}

/** No usable answer: refused connection, timeout, reset, an HTTP error or a reply that is not IPP. */
export class IppNetworkError extends Error {}

export interface IppRequestOptions {
  timeoutMs: number;
  requestingUser?: string;
}

export type IppResponse = Record<string, any> & { statusCode: string };

export const JOB_STATES: Record<number, string> = { 3: 'pending', 4: 'pending-held', 5: 'processing', 6: 'processing-stopped', 7: 'canceled', 8: 'aborted', 9: 'completed' };

function printerUri(p: PrinterConfig): string {
  return `${p.protocol}://${p.host.includes(':') ? `[${p.host}]` : p.host}:${p.port}${p.path}`;
}

let requestId = 1;

export async function ippRequest(printer: PrinterConfig, operation: string, attributes: Record<string, unknown>, opts: IppRequestOptions, extra: { job?: Record<string, unknown>; data?: Buffer } = {}): Promise<IppResponse> {
  const message: Record<string, unknown> = {
    version: '2.0',
    operation,
    id: (requestId = (requestId % 0x7fffffff) + 1),
    'operation-attributes-tag': {
      'attributes-charset': 'utf-8',
      'attributes-natural-language': 'en',
      'printer-uri': printerUri(printer),
      ...attributes,
      ...(opts.requestingUser ? { 'requesting-user-name': opts.requestingUser } : {}),
    },
  };
  if (extra.job && Object.keys(extra.job).length) message['job-attributes-tag'] = extra.job;
  if (extra.data) message.data = extra.data;
  const body = ipp.serialize(message);
  const reply = await post(printer, body, opts.timeoutMs);
  let parsed: Record<string, any>;
  try {
    parsed = ipp.parse(reply);
  } catch (e) {
    throw new IppNetworkError(`${operation}: the reply from ${printer.uri} is not IPP (${(e as Error).message})`);
  }
  const status = String(parsed.statusCode ?? 'unknown');
  if (!status.startsWith('successful-ok')) {
    const msg = parsed['operation-attributes-tag']?.['status-message'];
    throw new IppStatusError(operation, status, typeof msg === 'string' ? msg : undefined);
  }
  return parsed as IppResponse;
}

/** how an IPPS printer's certificate is checked: its own CA file, the system's authorities, or (tlsInsecure) not at all */
function tlsOptions(printer: PrinterConfig): https.RequestOptions {
  const options: https.RequestOptions = { rejectUnauthorized: !printer.tlsInsecure };
  if (printer.ca) options.ca = printer.ca;
  // SNI carries host names only (RFC 6066): a printer addressed by its IP address gets none
  if (!net.isIP(printer.host)) options.servername = printer.host;
  return options;
}

function post(printer: PrinterConfig, body: Buffer, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const transport = printer.protocol === 'ipps' ? https : http;
    const req = transport.request(
      {
        host: printer.host,
        port: printer.port,
        path: printer.path,
        method: 'POST',
        headers: { 'Content-Type': 'application/ipp', 'Content-Length': body.length },
        ...(printer.protocol === 'ipps' ? tlsOptions(printer) : {}),
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new IppNetworkError(`${printer.uri}: ${e.message}`)));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new IppNetworkError(`${printer.uri}: HTTP ${res.statusCode} ${res.statusMessage ?? ''}`.trim()));
          else resolve(Buffer.concat(chunks));
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e: NodeJS.ErrnoException) => reject(new IppNetworkError(`${printer.uri}: ${e.code ? `${e.code} ` : ''}${e.message}`)));
    req.end(body);
  });
}

const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);
const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export interface IppPrinterInfo {
  state: string | null;
  stateReasons: string[];
  acceptingJobs: boolean | null;
  formats: string[];
  makeAndModel: string | null;
}

export async function getPrinterAttributes(printer: PrinterConfig, opts: IppRequestOptions): Promise<IppPrinterInfo> {
  const r = await ippRequest(printer, 'Get-Printer-Attributes', { 'requested-attributes': ['printer-state', 'printer-state-reasons', 'printer-is-accepting-jobs', 'document-format-supported', 'printer-make-and-model'] }, opts);
  const a = r['printer-attributes-tag'] ?? {};
  const accepting = first(a['printer-is-accepting-jobs']);
  return {
    state: (first(a['printer-state']) as string | undefined) ?? null,
    stateReasons: list(a['printer-state-reasons']).map(String),
    acceptingJobs: typeof accepting === 'boolean' ? accepting : null,
    formats: list(a['document-format-supported']).map(String),
    makeAndModel: (first(a['printer-make-and-model']) as string | undefined) ?? null,
  };
}

export async function printJob(printer: PrinterConfig, job: { title: string; pdf: Buffer }, opts: IppRequestOptions): Promise<{ jobId: number; state: string | null }> {
  const r = await ippRequest(printer, 'Print-Job', { 'job-name': job.title.slice(0, 255) || 'Carrel', 'document-format': 'application/pdf' }, opts, { job: printer.media ? { media: printer.media } : {}, data: job.pdf });
  const a = r['job-attributes-tag'] ?? {};
  const jobId = Number(first(a['job-id']));
  if (!Number.isInteger(jobId)) throw new IppNetworkError(`Print-Job: ${printer.uri} accepted the job but gave no job-id`);
  return { jobId, state: jobState(first(a['job-state'])) };
}

export interface IppJobInfo {
  state: string | null;
  reasons: string[];
  message: string | null;
}

export async function getJobAttributes(printer: PrinterConfig, jobId: number, opts: IppRequestOptions): Promise<IppJobInfo> {
  const r = await ippRequest(printer, 'Get-Job-Attributes', { 'job-id': jobId, 'requested-attributes': ['job-state', 'job-state-reasons', 'job-state-message'] }, opts);
  const a = r['job-attributes-tag'] ?? {};
  const message = first(a['job-state-message']);
  return { state: jobState(first(a['job-state'])), reasons: list(a['job-state-reasons']).map(String), message: typeof message === 'string' ? message : null };
}

function jobState(v: unknown): string | null {
  if (typeof v === 'number') return JOB_STATES[v] ?? `state ${v}`;
  if (typeof v === 'string') return v;
  return null;
}
