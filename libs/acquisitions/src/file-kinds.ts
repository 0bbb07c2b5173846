/**
 * Kinds of file a vendor drops, the remote folders and file-name patterns a connector looks at for each,
 * and what becomes of a remote file once it is safely stored. Pure: no I/O.
 */
export const INTAKE_KINDS = ['invoice', 'order-response', 'quote', 'despatch-advice', 'order', 'marc', 'unknown'] as const;
export type IntakeKind = (typeof INTAKE_KINDS)[number];

export interface ConnectorFolder {
  kind: IntakeKind;
  /** remote folder, e.g. "/outgoing" or "." for the login folder */
  path: string;
  /** shell-style patterns (`*`, `?`), matched case-insensitively against the file name */
  patterns: string[];
}

/** Koha's conventions: .CEI invoices, .CEA order responses, .CEQ quotes; MARC as .mrc or .xml. */
export const DEFAULT_FOLDERS: readonly ConnectorFolder[] = Object.freeze([
  { kind: 'invoice', path: '.', patterns: ['*.CEI'] },
  { kind: 'order-response', path: '.', patterns: ['*.CEA'] },
  { kind: 'quote', path: '.', patterns: ['*.CEQ'] },
  { kind: 'marc', path: '.', patterns: ['*.mrc', '*.xml'] },
]);

export const AFTER_DOWNLOAD_ACTIONS = ['leave', 'rename', 'move'] as const;
export type AfterDownloadAction = (typeof AFTER_DOWNLOAD_ACTIONS)[number];

/** Message types the EDIFACT mappers know, and the kind of file each makes. */
export const KIND_OF_MESSAGE: Readonly<Record<string, IntakeKind>> = Object.freeze({
  INVOIC: 'invoice', ORDRSP: 'order-response', QUOTES: 'quote', DESADV: 'despatch-advice', ORDERS: 'order',
});

const globCache = new Map<string, RegExp>();

/** `*` any run of characters, `?` one character; everything else literal; case-insensitive (vendors mix .cei and .CEI). */
export function globToRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 'is');
    globCache.set(pattern, re);
  }
  return re;
}

export function matchesAny(name: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => globToRegExp(p).test(name));
}

/** The kind a file name suggests under the given folders' patterns (first match wins), else by Koha's extensions. */
export function kindOfName(name: string, folders: readonly ConnectorFolder[] = DEFAULT_FOLDERS): IntakeKind {
  for (const f of folders) if (matchesAny(name, f.patterns)) return f.kind;
  for (const f of DEFAULT_FOLDERS) if (matchesAny(name, f.patterns)) return f.kind;
  return 'unknown';
}

/**
 * Koha's rename once a file is fetched: the C of a .CEx extension becomes E (.CEI -> .EEI, .CEA -> .EEA,
 * .CEQ -> .EEQ), keeping the case; other files get ".done" appended, so no pattern matches them again.
 */
export function renamedAfterDownload(name: string): string {
  const m = /^(.*\.)([cC])([eE][A-Za-z])$/.exec(name);
  if (m) return `${m[1]}${m[2] === 'C' ? 'E' : 'e'}${m[3]}`;
  return `${name}.done`;
}

/** Joins a remote folder and a name the way SFTP paths go (always "/"). */
export function remoteJoin(folder: string, name: string): string {
  if (folder === '' || folder === '.') return name;
  return `${folder.replace(/\/+$/, '')}/${name}`;
}

/** Reads and checks a connector's folders (JSON text or a value); throws with what is wrong. */
export function parseFolders(input: unknown): ConnectorFolder[] {
  const value = typeof input === 'string' ? safeJson(input) : input;
  if (!Array.isArray(value) || value.length === 0) throw new Error('folders must be a non-empty array of {kind, path, patterns}');
  return value.map((f, i) => {
    const where = `folders[${i}]`;
    if (typeof f !== 'object' || f === null) throw new Error(`${where} must be an object`);
    const { kind, path, patterns } = f as Record<string, unknown>;
    if (typeof kind !== 'string' || !(INTAKE_KINDS as readonly string[]).includes(kind)) throw new Error(`${where}.kind must be one of ${INTAKE_KINDS.join(', ')}`);
    if (typeof path !== 'string' || path.length === 0 || path.length > 1024 || /[\0\r\n]/.test(path)) throw new Error(`${where}.path must be a remote folder`);
    if (!Array.isArray(patterns) || patterns.length === 0 || !patterns.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 200 && !p.includes('/'))) {
      throw new Error(`${where}.patterns must be a non-empty list of file-name patterns such as "*.CEI"`);
    }
    return { kind: kind as IntakeKind, path, patterns: patterns as string[] };
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error('folders is not valid JSON');
  }
}
