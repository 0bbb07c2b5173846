/**
 * The notice template language. Pure: no I/O, no clock.
 *
 * A template is a plain-text file: a first line `Subject: …`, a blank line, then the body. `{{name}}`
 * puts a value; `{{#items}}…{{/items}}` repeats once per item of the notice (loans, holds, fees or
 * claimed issues), with the item's values as `{{item.name}}`; `{{#name}}…{{/name}}` around anything else
 * shows it only when the value is not empty, `{{^name}}…{{/name}}` only when it is. A section tag alone
 * on its line takes the line with it, so loops and conditions leave no blank lines behind.
 *
 * Every name is checked against the notice type's names when the template is read, so a typo stops the
 * hub at start instead of reaching a patron; a value the data does not carry at all is an error at render
 * (never an empty gap in a letter). Notices are plain text (email text part and PDF alike): HTML tags in a
 * template are refused rather than shown to patrons as markup.
 */

export const NOTICE_TYPES = ['overdue1', 'overdue2', 'overdue3', 'hold_available', 'fines', 'serial_claim'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export function isNoticeType(value: string): value is NoticeType {
  return (NOTICE_TYPES as readonly string[]).includes(value);
}

/** The sending library (the branch whose letterhead the notice carries). */
const LIBRARY = ['library.name', 'library.institution', 'library.address', 'library.phone', 'library.email'] as const;
const PATRON = ['patron.name', 'patron.firstname', 'patron.surname', 'patron.cardNumber', 'patron.address', 'patron.email'] as const;
const COMMON = [...LIBRARY, 'date', 'items.count'] as const;

const OVERDUE = {
  top: [...COMMON, ...PATRON, 'fines.total'],
  item: ['title', 'author', 'callNumber', 'barcode', 'dueDate', 'daysOverdue', 'fine', 'replacementCost'],
};

/** The names each notice type's templates may use: outside the loop (`top`) and inside it (`item.*`). */
export const NOTICE_PLACEHOLDERS: Record<NoticeType, { top: readonly string[]; item: readonly string[] }> = {
  overdue1: OVERDUE,
  overdue2: OVERDUE,
  overdue3: OVERDUE,
  hold_available: {
    top: [...COMMON, ...PATRON],
    item: ['title', 'author', 'callNumber', 'barcode', 'waitingSince', 'pickupBy', 'pickupLibrary', 'pickupAddress'],
  },
  fines: {
    top: [...COMMON, ...PATRON, 'fines.total', 'fines.threshold'],
    item: ['date', 'type', 'description', 'title', 'barcode', 'amount', 'outstanding'],
  },
  serial_claim: {
    top: [...COMMON, 'library.accountNumber', 'vendor.name', 'vendor.code', 'claimDate', 'batch.id'],
    item: ['title', 'issn', 'label', 'publicationDate', 'expectedDate', 'vendorReference', 'accountNumber', 'claimNumber', 'claimOrdinal'],
  },
};

/** A template that cannot be used, or a value missing at render; `where` names the template and place. */
export class NoticeTemplateError extends Error {
  constructor(readonly where: string, readonly problem: string) {
    super(`${where}: ${problem}`);
  }
}

/** A value of a notice: null or '' is a known value that is empty; undefined (absent) is an error. */
export type NoticeValue = string | null;

/** What one notice says: its values by name and its items, each by the name after `item.`. */
export interface NoticeData {
  values: Record<string, NoticeValue>;
  items: Record<string, NoticeValue>[];
}

export interface RenderedNotice {
  subject: string;
  body: string;
}

interface At {
  line: number;
  column: number;
}
type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string; at: At }
  | { kind: 'section'; name: string; inverted: boolean; at: At; children: Node[] };

export interface NoticeTemplate {
  type: NoticeType;
  /** names the template in errors: type, language and file */
  source: string;
  subject: Node[];
  body: Node[];
}

interface Tag extends At {
  kind: 'value' | 'open' | 'inverted' | 'close';
  name: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>|<!--|&(?:[a-z]+|#\d+);/;

/** Splits a text into literal runs and tags; lines that hold only one section tag are removed whole. */
function tokenize(text: string, where: string, firstLine: number, firstColumn = 1): (string | Tag)[] {
  const out: (string | Tag)[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, i) => {
    const line = firstLine + i;
    const col0 = i === 0 ? firstColumn - 1 : 0;
    const html = HTML_TAG.exec(lineText);
    if (html) {
      throw new NoticeTemplateError(`${where} line ${line}, column ${col0 + html.index + 1}`, `${JSON.stringify(html[0])} looks like HTML: notices are plain text (email and print alike), write the text itself`);
    }
    const parts: (string | Tag)[] = [];
    let pos = 0;
    while (pos < lineText.length) {
      const open = lineText.indexOf('{{', pos);
      if (open < 0) {
        parts.push(lineText.slice(pos));
        break;
      }
      if (open > pos) parts.push(lineText.slice(pos, open));
      const column = col0 + open + 1;
      const close = lineText.indexOf('}}', open + 2);
      if (close < 0) throw new NoticeTemplateError(`${where} line ${line}, column ${column}`, 'a placeholder opened with {{ is not closed with }} on the same line');
      const inner = lineText.slice(open + 2, close).trim();
      const sigil = inner[0];
      const kind = sigil === '#' ? 'open' : sigil === '^' ? 'inverted' : sigil === '/' ? 'close' : 'value';
      const name = (kind === 'value' ? inner : inner.slice(1)).trim();
      if (!NAME.test(name)) throw new NoticeTemplateError(`${where} line ${line}, column ${column}`, `{{${lineText.slice(open + 2, close)}}} is not a placeholder name`);
      parts.push({ kind, name, line, column });
      pos = close + 2;
    }
    const tags = parts.filter((p): p is Tag => typeof p !== 'string');
    const standalone = tags.length === 1 && tags[0].kind !== 'value' && parts.every((p) => typeof p !== 'string' || p.trim() === '');
    if (standalone) {
      out.push(tags[0]);
      return;
    }
    out.push(...parts);
    if (i < lines.length - 1) out.push('\n');
  });
  return out;
}

function build(tokens: (string | Tag)[], where: string, type: NoticeType): Node[] {
  const names = NOTICE_PLACEHOLDERS[type];
  const top = new Set(names.top);
  const item = new Set(names.item.map((n) => `item.${n}`));
  const root: Node[] = [];
  const stack: { tag: Tag; children: Node[] }[] = [];
  const current = () => (stack.length ? stack[stack.length - 1].children : root);
  const inItems = () => stack.some((s) => s.tag.name === 'items');
  const at = (t: Tag) => `${where} line ${t.line}, column ${t.column}`;
  const check = (t: Tag) => {
    if (top.has(t.name)) return;
    if (item.has(t.name)) {
      if (inItems()) return;
      throw new NoticeTemplateError(at(t), `{{${t.name}}} is only known inside {{#items}}…{{/items}}`);
    }
    const known = inItems() ? [...top, ...item] : [...top, 'items (as a section)'];
    throw new NoticeTemplateError(at(t), `unknown placeholder {{${t.name}}} for a ${type} notice; known: ${known.join(', ')}`);
  };
  for (const tok of tokens) {
    if (typeof tok === 'string') {
      const nodes = current();
      const prev = nodes[nodes.length - 1];
      if (prev?.kind === 'text') prev.text += tok;
      else nodes.push({ kind: 'text', text: tok });
      continue;
    }
    const place = { line: tok.line, column: tok.column };
    if (tok.kind === 'value') {
      if (tok.name === 'items') throw new NoticeTemplateError(at(tok), '{{items}} is a list: repeat it with {{#items}}…{{/items}} (or show {{items.count}})');
      check(tok);
      current().push({ kind: 'value', name: tok.name, at: place });
    } else if (tok.kind === 'open' || tok.kind === 'inverted') {
      if (tok.name === 'items') {
        if (tok.kind === 'inverted') throw new NoticeTemplateError(at(tok), '{{^items}}: a notice always has items; show {{items.count}} instead');
        if (inItems()) throw new NoticeTemplateError(at(tok), '{{#items}} inside {{#items}}: the item loop cannot be nested');
      } else check(tok);
      const section: Node = { kind: 'section', name: tok.name, inverted: tok.kind === 'inverted', at: place, children: [] };
      current().push(section);
      stack.push({ tag: tok, children: section.children });
    } else {
      const open = stack.pop();
      if (!open) throw new NoticeTemplateError(at(tok), `{{/${tok.name}}} closes a section that was never opened`);
      if (open.tag.name !== tok.name) throw new NoticeTemplateError(at(tok), `{{/${tok.name}}} found where {{/${open.tag.name}}} (opened at line ${open.tag.line}) was expected`);
    }
  }
  const open = stack.pop();
  if (open) throw new NoticeTemplateError(at(open.tag), `{{${open.tag.kind === 'inverted' ? '^' : '#'}${open.tag.name}}} is never closed with {{/${open.tag.name}}}`);
  return root;
}

function hasItems(nodes: Node[]): boolean {
  return nodes.some((n) => n.kind === 'section' && (n.name === 'items' || hasItems(n.children)));
}

/**
 * Reads a template of the given notice type; `source` names it in errors (e.g. "notice template
 * overdue1 (fr) config/notices/fr/overdue1.txt"). Throws NoticeTemplateError with the line and column
 * of the first problem.
 */
export function parseNoticeTemplate(type: NoticeType, text: string, source: string = `notice template ${type}`): NoticeTemplate {
  if (!isNoticeType(type)) throw new NoticeTemplateError(source, `${JSON.stringify(type)} is not a notice type; known: ${NOTICE_TYPES.join(', ')}`);
  const normal = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const newline = normal.indexOf('\n');
  const first = newline < 0 ? normal : normal.slice(0, newline);
  const m = /^Subject:(.*)$/i.exec(first);
  if (!m) throw new NoticeTemplateError(`${source} line 1`, `must be the subject, "Subject: …", got ${JSON.stringify(first.slice(0, 60))}`);
  if (m[1].trim() === '') throw new NoticeTemplateError(`${source} line 1`, 'the subject is empty');
  let rest = newline < 0 ? '' : normal.slice(newline + 1);
  let bodyLine = 2;
  if (rest.startsWith('\n')) {
    rest = rest.slice(1);
    bodyLine = 3;
  } else if (rest !== '') {
    throw new NoticeTemplateError(`${source} line 2`, 'must be blank: the body starts after a blank line below the subject');
  }
  if (rest.trim() === '') throw new NoticeTemplateError(`${source} line ${bodyLine}`, 'the notice has no body');
  const subject = build(tokenize(m[1], source, 1, 'Subject:'.length + 1), source, type);
  const body = build(tokenize(rest, source, bodyLine), source, type);
  if (!hasItems(body)) throw new NoticeTemplateError(source, 'the notice never lists its items: add a {{#items}}…{{/items}} section to the body');
  return { type, source, subject, body };
}

function lookup(name: string, at: At, values: Record<string, NoticeValue>, item: Record<string, NoticeValue> | null, source: string): string {
  const v = name.startsWith('item.') ? (item ? item[name.slice(5)] : undefined) : values[name];
  if (v === undefined) throw new NoticeTemplateError(`${source} line ${at.line}, column ${at.column}`, `{{${name}}} has no value in this notice`);
  return v ?? '';
}

function renderNodes(nodes: Node[], t: NoticeTemplate, data: NoticeData, item: Record<string, NoticeValue> | null): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'value') out += lookup(n.name, n.at, data.values, item, t.source);
    else if (n.name === 'items') {
      for (const it of data.items) out += renderNodes(n.children, t, data, it);
    } else {
      const shown = lookup(n.name, n.at, data.values, item, t.source).trim() !== '';
      if (shown !== n.inverted) out += renderNodes(n.children, t, data, item);
    }
  }
  return out;
}

/** The notice as text: the subject on one line, the body with its line breaks. */
export function renderNotice(template: NoticeTemplate, data: NoticeData): RenderedNotice {
  if (data.items.length === 0) throw new NoticeTemplateError(template.source, 'a notice needs at least one item');
  const values = { ...data.values, 'items.count': String(data.items.length) };
  const full = { values, items: data.items };
  const subject = renderNodes(template.subject, template, full, null).replace(/\s*\n\s*/g, ' ').trim();
  const body = renderNodes(template.body, template, full, null).replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
  return { subject, body };
}
