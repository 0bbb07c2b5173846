import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every setting Carrel reads, in one table: its key in config/carrel.json, its environment variable,
 * its default and how it is checked. The README's settings table and `carrel config` come from here.
 * Environment variables win over the file; the file wins over defaults.
 */
type Kind = 'string' | 'boolean' | 'port' | 'int' | 'enum' | 'path' | 'json';

interface SettingSpec {
  env: string;
  kind: Kind;
  default: unknown;
  description: string;
  values?: readonly string[];
  min?: number;
  max?: number;
  powerOfTwo?: boolean;
  pattern?: readonly [RegExp, string];
  /** a last check: returns what is wrong, or null */
  check?: (value: string) => string | null;
}

function timeZoneProblem(zone: string): string | null {
  if (zone === '') return null;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return null;
  } catch {
    return 'must be an IANA time zone such as Europe/Oslo or America/Chicago';
  }
}

export const SETTINGS = {
  'database.url': { env: 'DATABASE_URL', kind: 'string', pattern: [/^(file:.+|postgres(ql)?:\/\/.+)$/, 'must start with file: (SQLite) or postgresql:// (PostgreSQL)'], default: 'file:./data/carrel.db', description: 'file:PATH for the embedded SQLite database, or a postgresql:// URL (optional ?schema=NAME)' },
  'database.migrateOnStart': { env: 'CARREL_MIGRATE_ON_START', kind: 'boolean', default: true, description: 'apply pending migrations when the hub starts' },
  'demo.seedOnEmpty': { env: 'CARREL_SEED_DEMO', kind: 'boolean', default: true, description: 'seed the demo library when the hub starts on an empty database' },
  'http.enabled': { env: 'CARREL_HTTP_ENABLED', kind: 'boolean', default: true, description: 'serve the staff REST API and /health' },
  'http.host': { env: 'CARREL_HTTP_HOST', kind: 'string', default: '0.0.0.0', description: 'address the HTTP server listens on' },
  'http.port': { env: 'CARREL_HTTP_PORT', kind: 'port', default: 3000, description: 'HTTP port' },
  'sip2.enabled': { env: 'CARREL_SIP2_ENABLED', kind: 'boolean', default: false, description: 'run the SIP2 server in this process' },
  'sip2.listeners': { env: 'CARREL_SIP2_LISTENERS', kind: 'json', default: [{ port: 6001 }], description: 'SIP2 listeners: [{"host":"0.0.0.0","port":6001,"tls":{"certFile":"…","keyFile":"…"}}]' },
  'sip2.accountsFile': { env: 'CARREL_SIP2_ACCOUNTS_FILE', kind: 'path', default: 'config/sip2-accounts.json', description: 'JSON file of SIP2 accounts (see config/sip2-accounts.example.json; `carrel sip import-koha-config` writes one)' },
  'sip2.maxFrameBytes': { env: 'CARREL_SIP2_MAX_FRAME_BYTES', kind: 'int', min: 1024, max: 1_048_576, default: 16_384, description: 'longest SIP2 message accepted' },
  'circulation.timeZone': { env: 'CARREL_TIME_ZONE', kind: 'string', check: timeZoneProblem, default: '', description: 'IANA time zone for due dates (empty: the machine\'s)' },
  'circulation.currency': { env: 'CARREL_CURRENCY', kind: 'string', pattern: [/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code'], default: 'USD', description: 'currency of fines and fees' },
  'circulation.holdShelfDays': { env: 'CARREL_HOLD_SHELF_DAYS', kind: 'int', min: 1, max: 365, default: 7, description: 'days a captured hold waits on the shelf' },
  'circulation.sortBinRules': { env: 'CARREL_SORT_BIN_RULES', kind: 'json', default: [], description: 'sorter bins, Koha sort_bin_mapping style: ["CPL:itype:eq:DVD:2", "*:location:eq:JUV:3"]' },
  'circulation.holdExpiryCron': { env: 'CARREL_HOLD_EXPIRY_CRON', kind: 'string', pattern: [/^\S+(\s+\S+){4,5}$/, 'must be a cron expression of 5 or 6 fields'], default: '30 0 * * *', description: 'when the scheduler expires lapsed holds and passes on items left on the hold shelf (cron, in circulation.timeZone)' },
  'circulation.lostItemCharge': { env: 'CARREL_LOST_ITEM_CHARGE', kind: 'string', pattern: [/^(\d{1,9}(\.\d{1,2})?)?$/, 'must be an amount such as 15.00, or empty'], default: '', description: 'charged for a lost item that has no price (empty: no charge)' },
  'circulation.lostReturnPolicy': { env: 'CARREL_LOST_RETURN_POLICY', kind: 'enum', values: ['refund', 'writeoff', 'keep'], default: 'refund', description: 'a lost item returned: refund (cancel its fee, credit back what was paid; Koha RefundLostOnReturn), writeoff (cancel what is still owed), keep' },
  'circulation.cancelWindowSeconds': { env: 'CARREL_CANCEL_WINDOW_SECONDS', kind: 'int', min: 0, max: 3600, default: 300, description: 'how long a kiosk may cancel (SIP BI) the checkout or checkin it just made' },
  'scheduler.enabled': { env: 'CARREL_SCHEDULER_ENABLED', kind: 'boolean', default: true, description: 'run scheduled jobs in this process (one instance per site should)' },
  'log.level': { env: 'CARREL_LOG_LEVEL', kind: 'enum', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], default: 'info', description: 'JSON log level' },
  'shutdown.graceMs': { env: 'CARREL_SHUTDOWN_GRACE_MS', kind: 'int', min: 0, max: 600_000, default: 10_000, description: 'how long SIGTERM waits for in-flight work' },
  'security.pinHashCost': { env: 'CARREL_PIN_HASH_COST', kind: 'int', min: 1024, max: 1_048_576, powerOfTwo: true, default: 16_384, description: 'scrypt N for patron PIN hashes (a power of two)' },
  'import.itemMapping': { env: 'CARREL_IMPORT_ITEM_MAPPING', kind: 'json', default: 'koha-952', description: 'items in MARC imports: "koha-952", "marc-852", "evergreen-852" or a mapping object {tag, barcode, branch, …}' },
  'import.defaultBranch': { env: 'CARREL_IMPORT_DEFAULT_BRANCH', kind: 'string', default: '', description: 'branch for imported items that name none (empty: such items are rejected)' },
  'acquisitions.storageDir': { env: 'CARREL_ACQUISITIONS_STORAGE_DIR', kind: 'path', default: './data/intake', description: 'where files received from vendors are kept (the intake ledger\'s bytes)' },
  'mail.smtpUrl': { env: 'CARREL_MAIL_SMTP_URL', kind: 'string', pattern: [/^(smtps?:\/\/\S+)?$/, 'must be an smtp:// or smtps:// URL (user and password in it if the server wants them), or empty'], default: '', description: 'the SMTP server mail (serials claims) goes out through, e.g. smtp://mail.example.org:587 (empty: mail is not configured and sending fails with a clear error)' },
  'mail.from': { env: 'CARREL_MAIL_FROM', kind: 'string', pattern: [/^(.*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'must be an address such as serials@library.org or "Serials <serials@library.org>"'], default: 'carrel@localhost', description: 'sender address of the mail Carrel sends' },
  'serials.claimTemplate': { env: 'CARREL_SERIALS_CLAIM_TEMPLATE', kind: 'string', default: '', description: 'claim letter template file (relative to the checkout; empty: the built-in letter). First line "Subject: …", a blank line, then the body; placeholders {{vendor.name}}, {{library.accountNumber}}, a {{#issues}}…{{/issues}} loop' },
  'serials.lateCron': { env: 'CARREL_SERIALS_LATE_CRON', kind: 'string', pattern: [/^\S+(\s+\S+){4,5}$/, 'must be a cron expression of 5 or 6 fields'], default: '15 1 * * *', description: 'when the scheduler marks overdue serial issues late and sends the claims of vendors set to autoSendClaims (cron, in circulation.timeZone)' },
  'serials.predictionHorizonDays': { env: 'CARREL_SERIALS_PREDICTION_HORIZON_DAYS', kind: 'int', min: 1, max: 3660, default: 400, description: 'how far ahead expected serial issues are generated (days after today, by expected date)' },
  'serials.predictionCron': { env: 'CARREL_SERIALS_PREDICTION_CRON', kind: 'string', pattern: [/^\S+(\s+\S+){4,5}$/, 'must be a cron expression of 5 or 6 fields'], default: '45 0 * * *', description: 'when the scheduler extends the expected issues of active subscriptions to the horizon (cron, in circulation.timeZone)' },
  'print.labelTemplates': { env: 'CARREL_PRINT_LABEL_TEMPLATES', kind: 'json', default: [], description: 'custom label sheets besides the built-in ones (avery-5160, avery-5167, avery-l7160, demco-spine, gaylord-8511, avery-5460): [{"name":"brodart-70-3","pageWidth":"8.5in","pageHeight":"11in","columns":5,"rows":12,"labelWidth":"1.5in","labelHeight":"0.75in","top":"0.75in","left":"0.4in","columnGap":"0.1in","rowGap":0}] (lengths in points or with in, mm, cm, pt; optional padding, fontSize, description)' },
  'print.labelMinFontSize': { env: 'CARREL_PRINT_LABEL_MIN_FONT_SIZE', kind: 'int', min: 4, max: 24, default: 6, description: 'smallest text size (pt) a label line shrinks to before the label is flagged in the batch report as not fitting' },
  'print.printers': { env: 'CARREL_PRINT_PRINTERS', kind: 'json', default: [], description: 'printers: [{"name":"main-desk","uri":"ipp://printer.local/ipp/print","snmp":{"host":"printer.local","community":"public"},"branch":"CPL","media":"na_letter_8.5x11in","labelProfile":{"offsetX":0,"offsetY":1.5,"creepX":0,"creepY":0.2}}]; uri ipp://, ipps:// (a self-signed printer: caFile, the path of its PEM certificate, or tlsInsecure: true) or socket://host:9100 (raw); offsets and creep in points' },
  'print.defaultPrinter': { env: 'CARREL_PRINT_DEFAULT_PRINTER', kind: 'string', default: '', description: 'printer used when none is named (empty: the only one configured)' },
  'print.storageDir': { env: 'CARREL_PRINT_STORAGE_DIR', kind: 'path', default: './data/print', description: 'where the PDFs of print jobs are kept (named by their SHA-256)' },
  'print.queueIntervalSeconds': { env: 'CARREL_PRINT_QUEUE_INTERVAL_SECONDS', kind: 'int', min: 1, max: 3600, default: 5, description: 'how often the scheduler sends queued print jobs, follows jobs at the printer and rechecks held ones' },
  'print.maxAttempts': { env: 'CARREL_PRINT_MAX_ATTEMPTS', kind: 'int', min: 1, max: 100, default: 8, description: 'sends of one print job (printer busy, network errors) before it fails for good' },
  'print.processingTimeoutMinutes': { env: 'CARREL_PRINT_PROCESSING_TIMEOUT_MINUTES', kind: 'int', min: 1, max: 10_080, default: 240, description: 'a job the printer has taken but not finished after this long fails with the reason, so the jobs behind it go out (check the printer before retrying it)' },
  'print.sendTimeoutMs': { env: 'CARREL_PRINT_SEND_TIMEOUT_MS', kind: 'int', min: 500, max: 600_000, default: 60_000, description: 'how long a printer may stay silent during one request or while taking a raw job' },
  'print.snmpTimeoutMs': { env: 'CARREL_PRINT_SNMP_TIMEOUT_MS', kind: 'int', min: 100, max: 60_000, default: 2_000, description: 'how long to wait for a printer\'s SNMP answer (one retry)' },
  'print.noticesCron': { env: 'CARREL_PRINT_NOTICES_CRON', kind: 'string', pattern: [/^\S+(\s+\S+){4,5}$/, 'must be a cron expression of 5 or 6 fields'], default: '0 7 * * *', description: 'when the scheduler generates and delivers patron notices (overdue, hold available, fines) and retries failed emails (cron, in circulation.timeZone)' },
  'print.overdueNoticeDays': { env: 'CARREL_PRINT_OVERDUE_NOTICE_DAYS', kind: 'json', default: [1, 14, 28], description: 'days overdue at which the first, second and third overdue notices go out: one to three whole numbers, rising, e.g. [1, 14, 28]' },
  'print.finesNoticeThreshold': { env: 'CARREL_PRINT_FINES_NOTICE_THRESHOLD', kind: 'string', pattern: [/^\d{1,9}(\.\d{1,2})?$/, 'must be an amount such as 10.00'], default: '10.00', description: 'a patron who owes more than this gets a fines notice listing what is owed; another only once a new fee is added' },
  'print.defaultLanguage': { env: 'CARREL_PRINT_DEFAULT_LANGUAGE', kind: 'string', pattern: [/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as en, fr or fr-CA'], default: 'en', description: 'language of notices to patrons who have none set (config/notices/<language>/ must hold every notice type)' },
  'print.noticeTemplatesDir': { env: 'CARREL_PRINT_NOTICE_TEMPLATES_DIR', kind: 'string', default: '', description: 'folder of notice templates overriding the built-in ones file by file, laid out as config/notices: <language>/<type>.txt (relative to the checkout; empty: the built-in ones only)' },
  'print.noticePaper': { env: 'CARREL_PRINT_NOTICE_PAPER', kind: 'enum', values: ['A4', 'Letter'], default: 'Letter', description: 'paper of printed notices' },
  'fixtures.dir': { env: 'CARREL_FIXTURES', kind: 'path', default: '../shared/fixtures', description: 'shared sample files used by the test suites' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;

type ValueOf<K extends SettingKey> = (typeof SETTINGS)[K]['kind'] extends 'boolean'
  ? boolean
  : (typeof SETTINGS)[K]['kind'] extends 'port' | 'int'
    ? number
    : (typeof SETTINGS)[K]['kind'] extends 'json'
      ? unknown
      : string;

export type CarrelSettings = { [K in SettingKey]: ValueOf<K> };

export class ConfigError extends Error {}

function check(key: string, spec: SettingSpec, raw: unknown, from: string, baseDir: string): unknown {
  const where = `${key} (${from === 'env' ? `environment variable ${spec.env}` : from})`;
  const fail = (msg: string): never => {
    throw new ConfigError(`Configuration error: ${where} ${msg}, got ${JSON.stringify(raw)}`);
  };
  switch (spec.kind) {
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const s = String(raw).trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(s)) return true;
      if (['0', 'false', 'no', 'off'].includes(s)) return false;
      return fail('must be true or false');
    }
    case 'port':
    case 'int': {
      const s = String(raw).trim();
      if (!/^\d+$/.test(s)) return fail('must be a whole number');
      const n = Number(s);
      const [min, max] = spec.kind === 'port' ? [1, 65535] : [spec.min ?? 0, spec.max ?? Number.MAX_SAFE_INTEGER];
      if (n < min || n > max) return fail(`must be between ${min} and ${max}`);
      if (spec.powerOfTwo && (n & (n - 1)) !== 0) return fail('must be a power of two');
      return n;
    }
    case 'enum': {
      const s = String(raw).trim();
      if (!spec.values!.includes(s)) return fail(`must be one of ${spec.values!.join(', ')}`);
      return s;
    }
    case 'path':
      return path.resolve(baseDir, String(raw));
    case 'json': {
      if (typeof raw !== 'string') return raw;
      const s = raw.trim();
      if (s.startsWith('{') || s.startsWith('[')) {
        try {
          return JSON.parse(s);
        } catch {
          return fail('is not valid JSON');
        }
      }
      return s;
    }
    default:
      if (typeof raw !== 'string') return fail('must be text');
      if (spec.pattern && !spec.pattern[0].test(raw.trim())) return fail(spec.pattern[1]);
      const problem = spec.check?.(raw.trim());
      if (problem) return fail(problem);
      return raw;
  }
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** the folder relative paths are resolved from (the checkout) */
  baseDir?: string;
  /** config file; default CARREL_CONFIG or config/carrel.json when present; null reads none */
  file?: string | null;
}

/** Reads and validates every setting; throws ConfigError naming the first wrong one. */
export function loadSettings(opts: LoadOptions = {}): CarrelSettings {
  const env = opts.env ?? process.env;
  const baseDir = opts.baseDir ?? process.cwd();
  const file = opts.file === null ? '' : (opts.file ?? env.CARREL_CONFIG ?? path.join(baseDir, 'config', 'carrel.json'));
  let fromFile: Record<string, unknown> = {};
  if (file && existsSync(file)) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ConfigError(`Configuration error: ${file} is not valid JSON (${(e as Error).message})`);
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
      throw new ConfigError(`Configuration error: ${file} must hold a JSON object of settings`);
    }
    for (const k of Object.keys(fromFile)) {
      if (!(k in SETTINGS)) throw new ConfigError(`Configuration error: ${file} has unknown setting "${k}" (known: ${Object.keys(SETTINGS).join(', ')})`);
    }
  } else if (file && (opts.file ?? env.CARREL_CONFIG)) {
    throw new ConfigError(`Configuration error: config file ${file} does not exist`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [string, SettingSpec][]) {
    const envValue = env[spec.env];
    if (envValue !== undefined && envValue !== '') out[key] = check(key, spec, envValue, 'env', baseDir);
    else if (key in fromFile) out[key] = check(key, spec, fromFile[key], file, baseDir);
    else out[key] = check(key, spec, spec.default, 'default', baseDir);
  }
  return out as CarrelSettings;
}

export function describeSettings(): { key: string; env: string; default: unknown; description: string }[] {
  return Object.entries(SETTINGS).map(([key, s]) => ({ key, env: s.env, default: s.default, description: s.description }));
}
