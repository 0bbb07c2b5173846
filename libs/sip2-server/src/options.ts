/** Configuration of the SIP2 server: listeners, accounts and limits. */

export type Sip2AccountCharset = 'utf-8' | 'cp850' | 'iso-8859-1';

/** One SIP2 login (a kiosk, a sorter, or a group of them sharing a login). */
export interface Sip2Account {
  /** SIP CN */
  login: string;
  /** scrypt hash of the SIP CO password, as written by `hashPin` from @carrel/patrons */
  passwordHash: string;
  /** SIP AO written in responses */
  institution: string;
  /** branch where the device stands: due-date calendars, transits, sorter routing */
  branchCode: string;
  /** device name for the circulation log; defaults to the login's CP, then the login */
  device?: string;
  /** message ids this account may send (e.g. ['99','17','09']); all when absent. 93, 97, 96 and 99 always. */
  allowedMessages?: string[];
  charset: Sip2AccountCharset;
  terminator: '\r' | '\r\n';
  /**
   * 'verify': check AZ when sent; 'require': a request without AZ gets 96; 'ignore': never check.
   * Responses carry AY/AZ when the request had them, and always with 'require'.
   */
  checksum: 'verify' | 'require' | 'ignore';
  /** field codes never sent (privacy), e.g. ['BD','BE','BF','PB'] */
  hideFields?: string[];
  /** optional field codes sent (empty) even without a value, e.g. ['CT'] for sorters that insist */
  alwaysSend?: string[];
  /** send CV "00" on a checkin that needs no routing (Koha's cv_send_00_on_success) */
  cvSendOnSuccess?: boolean;
  /** answer 99 before 93 (some kiosks poll status before logging in) */
  allowStatusBeforeLogin?: boolean;
  /** close the connection after this many seconds without a request (default: the server's) */
  idleTimeoutSeconds?: number;
  /** how AH due dates are written: 18-character SIP date (default) or ISO 8601 */
  dueDateFormat?: 'sip' | 'iso';
  /** AM in 98 */
  libraryName?: string;
  /** 98's timeout period (tenths of seconds, 3 digits) and retries allowed */
  timeoutPeriod?: number;
  retriesAllowed?: number;
}

export interface Sip2Listener {
  /** default: all interfaces */
  host?: string;
  /** 0 picks a free port (tests) */
  port: number;
  /** PEM files; when set the listener speaks TLS */
  tls?: { certFile: string; keyFile: string };
}

export interface Sip2ServerOptions {
  /** default: one plain listener on port 6001 */
  listeners?: Sip2Listener[];
  accounts: Sip2Account[];
  /** longest frame accepted (terminator excluded); default 16 KiB */
  maxFrameBytes?: number;
  /** after this many oversized frames on one connection the connection is closed; default 3 */
  maxOversizedFrames?: number;
  /**
   * Failed logins per client address per minute before logins from there are refused unchecked, answered
   * after `delayMs`. A number is the limit (default 5, delay 2 s).
   */
  loginThrottle?: number | { maxFailuresPerMinute?: number; delayMs?: number };
  /** idle timeout of a logged-in connection, when its account does not set one; default 600 s (0: none) */
  defaultIdleTimeoutSeconds?: number;
  /** idle timeout before a successful login; default 120 s */
  loginTimeoutSeconds?: number;
  /** TCP keepalive probe delay; default 60 s */
  keepAliveSeconds?: number;
  /** how long stop() waits for in-flight transactions before closing connections hard; default 10 s */
  shutdownGraceMs?: number;
  /** time zone of the dates on the wire: 'utc', 'process' (default) or an IANA name */
  timeZone?: string;
}

export interface ResolvedSip2ServerOptions {
  listeners: Sip2Listener[];
  accounts: Sip2Account[];
  maxFrameBytes: number;
  maxOversizedFrames: number;
  loginThrottle: { maxFailuresPerMinute: number; delayMs: number };
  defaultIdleTimeoutSeconds: number;
  loginTimeoutSeconds: number;
  keepAliveSeconds: number;
  shutdownGraceMs: number;
  timeZone: string;
}

export function resolveOptions(o: Sip2ServerOptions): ResolvedSip2ServerOptions {
  return {
    listeners: o.listeners && o.listeners.length > 0 ? o.listeners : [{ port: 6001 }],
    accounts: o.accounts ?? [],
    maxFrameBytes: o.maxFrameBytes ?? 16_384,
    maxOversizedFrames: o.maxOversizedFrames ?? 3,
    loginThrottle: typeof o.loginThrottle === 'number'
      ? { maxFailuresPerMinute: o.loginThrottle, delayMs: 2000 }
      : { maxFailuresPerMinute: o.loginThrottle?.maxFailuresPerMinute ?? 5, delayMs: o.loginThrottle?.delayMs ?? 2000 },
    defaultIdleTimeoutSeconds: o.defaultIdleTimeoutSeconds ?? 600,
    loginTimeoutSeconds: o.loginTimeoutSeconds ?? 120,
    keepAliveSeconds: o.keepAliveSeconds ?? 60,
    shutdownGraceMs: o.shutdownGraceMs ?? 10_000,
    timeZone: o.timeZone ?? 'process',
  };
}

/** Nest token of the options given to Sip2ServerModule.forRoot. */
export const SIP2_SERVER_OPTIONS = Symbol('SIP2_SERVER_OPTIONS');
