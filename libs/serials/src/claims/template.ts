/**
 * Claim letters from a template staff can edit (setting `serials.claimTemplate`). The template is a text
 * file: a first line `Subject: …`, a blank line, then the body. Placeholders are `{{name}}`; a section
 * `{{#issues}}…{{/issues}}` repeats once per claimed issue, and `{{#name}}…{{/name}}` around anything else
 * is shown only when that value is not empty (so "ISSN {{issue.issn}}" can vanish for a title without
 * one). A section tag alone on its line takes its line with it, so loops leave no blank lines behind.
 * Every name is checked when the template is read, so a typo fails at start, not in a vendor's mailbox.
 */

export class ClaimTemplateError extends Error {
  constructor(readonly where: string, message: string) {
    super(`${where}: ${message}`);
  }
}

/** One claimed issue as a letter (and the CSV and EDIFACT forms) shows it. */
export interface ClaimLetterIssue {
  title: string;
  issn?: string | null;
  /** the Z39.71 enumeration and chronology, 'v.3:no.7 (2026:July)' */
  label: string;
  publicationDate: string;
  expectedDate: string;
  /** the vendor's reference for the subscription */
  vendorReference?: string | null;
  /** the library's account number with the vendor for this title */
  accountNumber?: string | null;
  /** 1 for the first claim of this issue, 2 for the second … */
  claimNumber: number;
}

export interface ClaimLetter {
  library: { name: string; accountNumber?: string | null };
  vendor: { name: string; code: string };
  /** YYYY-MM-DD */
  claimDate: string;
  batchId?: number | null;
  issues: ClaimLetterIssue[];
}

export interface RenderedClaimLetter {
  subject: string;
  text: string;
}

/** Names a template may use outside the issue loop. */
export const LETTER_PLACEHOLDERS = [
  'library.name', 'library.accountNumber', 'vendor.name', 'vendor.code', 'claimDate', 'batch.id', 'issues.count',
] as const;
/** Names a template may use inside `{{#issues}}…{{/issues}}` (the letter's names work there too). */
export const ISSUE_PLACEHOLDERS = [
  'issue.number', 'issue.title', 'issue.issn', 'issue.label', 'issue.publicationDate', 'issue.expectedDate',
  'issue.vendorReference', 'issue.accountNumber', 'issue.claimNumber', 'issue.claimOrdinal',
] as const;

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string }
  | { kind: 'section'; name: string; children: Node[] };

export interface ClaimTemplate {
  source: string;
  subject: Node[];
  body: Node[];
}

/** The letter used when `serials.claimTemplate` is empty. */
export const BUILT_IN_CLAIM_TEMPLATE = `Subject: Claim for {{issues.count}} missing issue(s) – {{library.name}}{{#library.accountNumber}}, account {{library.accountNumber}}{{/library.accountNumber}}

To {{vendor.name}}

{{library.name}} has not received the issues below{{#library.accountNumber}} (our account number with you: {{library.accountNumber}}){{/library.accountNumber}}.
Please send them, or tell us when they will be published or why they cannot be supplied.

{{#issues}}
{{issue.number}}. {{issue.title}}{{#issue.issn}} (ISSN {{issue.issn}}){{/issue.issn}}
   Issue: {{issue.label}}
   Expected: {{issue.expectedDate}}
{{#issue.vendorReference}}
   Your subscription reference: {{issue.vendorReference}}
{{/issue.vendorReference}}
{{#issue.accountNumber}}
   Account number: {{issue.accountNumber}}
{{/issue.accountNumber}}
   Claim: {{issue.claimOrdinal}} claim

{{/issues}}
Claim date: {{claimDate}}{{#batch.id}}, claim batch {{batch.id}}{{/batch.id}}

{{library.name}}
`;

interface Tag {
  kind: 'value' | 'open' | 'close';
  name: string;
  line: number;
  column: number;
}

/** Splits text into literal runs and tags, removing the lines that hold only a section tag. */
function tokenize(text: string, where: string, firstLine: number): (string | Tag)[] {
  const out: (string | Tag)[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, i) => {
    const line = firstLine + i;
    const last = i === lines.length - 1;
    const parts: (string | Tag)[] = [];
    let pos = 0;
    while (pos < lineText.length) {
      const open = lineText.indexOf('{{', pos);
      if (open < 0) {
        parts.push(lineText.slice(pos));
        break;
      }
      if (open > pos) parts.push(lineText.slice(pos, open));
      const close = lineText.indexOf('}}', open + 2);
      if (close < 0) throw new ClaimTemplateError(`${where} line ${line}, column ${open + 1}`, 'a placeholder opened with {{ is not closed with }} on the same line');
      const inner = lineText.slice(open + 2, close).trim();
      const sigil = inner[0];
      const kind = sigil === '#' ? 'open' : sigil === '/' ? 'close' : 'value';
      const name = (kind === 'value' ? inner : inner.slice(1)).trim();
      if (!/^[A-Za-z][A-Za-z.]*$/.test(name)) {
        throw new ClaimTemplateError(`${where} line ${line}, column ${open + 1}`, `{{${lineText.slice(open + 2, close)}}} is not a placeholder name`);
      }
      parts.push({ kind, name, line, column: open + 1 });
      pos = close + 2;
    }
    const tags = parts.filter((p): p is Tag => typeof p !== 'string');
    const standalone = tags.length === 1 && tags[0].kind !== 'value' && parts.every((p) => typeof p !== 'string' || p.trim() === '');
    if (standalone) {
      out.push(tags[0]);
      return;
    }
    out.push(...parts);
    if (!last) out.push('\n');
  });
  return out;
}

function build(tokens: (string | Tag)[], where: string, allowed: { letter: Set<string>; issue: Set<string> }): Node[] {
  const root: Node[] = [];
  const stack: { tag: Tag; children: Node[] }[] = [];
  const current = () => (stack.length ? stack[stack.length - 1].children : root);
  const inIssues = () => stack.some((s) => s.tag.name === 'issues');
  const at = (t: Tag) => `${where} line ${t.line}, column ${t.column}`;
  const known = (t: Tag) => {
    if (allowed.letter.has(t.name)) return;
    if (allowed.issue.has(t.name)) {
      if (inIssues()) return;
      throw new ClaimTemplateError(at(t), `{{${t.name}}} is only known inside {{#issues}}…{{/issues}}`);
    }
    const names = inIssues() ? [...allowed.letter, ...allowed.issue] : [...allowed.letter, 'issues (as a section)'];
    throw new ClaimTemplateError(at(t), `unknown placeholder {{${t.name}}}; known: ${names.join(', ')}`);
  };
  for (const tok of tokens) {
    if (typeof tok === 'string') {
      const nodes = current();
      const prev = nodes[nodes.length - 1];
      if (prev?.kind === 'text') prev.text += tok;
      else nodes.push({ kind: 'text', text: tok });
      continue;
    }
    if (tok.kind === 'value') {
      if (tok.name === 'issues') throw new ClaimTemplateError(at(tok), '{{issues}} is a list: repeat it with {{#issues}}…{{/issues}} (or show {{issues.count}})');
      known(tok);
      current().push({ kind: 'value', name: tok.name });
    } else if (tok.kind === 'open') {
      if (tok.name === 'issues') {
        if (inIssues()) throw new ClaimTemplateError(at(tok), '{{#issues}} inside {{#issues}}: the issue loop cannot be nested');
      } else known(tok);
      const section: Node = { kind: 'section', name: tok.name, children: [] };
      current().push(section);
      stack.push({ tag: tok, children: section.children });
    } else {
      const top = stack.pop();
      if (!top) throw new ClaimTemplateError(at(tok), `{{/${tok.name}}} closes a section that was never opened`);
      if (top.tag.name !== tok.name) throw new ClaimTemplateError(at(tok), `{{/${tok.name}}} found where {{/${top.tag.name}}} (opened at line ${top.tag.line}) was expected`);
    }
  }
  const open = stack.pop();
  if (open) throw new ClaimTemplateError(at(open.tag), `{{#${open.tag.name}}} is never closed with {{/${open.tag.name}}}`);
  return root;
}

/**
 * Reads a claim template; `source` names it in errors (the file's path). Throws ClaimTemplateError with
 * the line and column of the first problem.
 */
export function parseClaimTemplate(text: string, source = 'claim template'): ClaimTemplate {
  const normal = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const newline = normal.indexOf('\n');
  const first = newline < 0 ? normal : normal.slice(0, newline);
  const m = /^Subject:(.*)$/i.exec(first);
  if (!m) throw new ClaimTemplateError(`${source} line 1`, `must be the subject, "Subject: …", got ${JSON.stringify(first.slice(0, 60))}`);
  if (m[1].trim() === '') throw new ClaimTemplateError(`${source} line 1`, 'the subject is empty');
  let rest = newline < 0 ? '' : normal.slice(newline + 1);
  let bodyLine = 2;
  if (rest.startsWith('\n')) {
    rest = rest.slice(1);
    bodyLine = 3;
  } else if (rest !== '') {
    throw new ClaimTemplateError(`${source} line 2`, 'must be blank: the body starts after a blank line below the subject');
  }
  if (rest.trim() === '') throw new ClaimTemplateError(`${source} line ${bodyLine}`, 'the letter has no body');
  const allowed = { letter: new Set<string>(LETTER_PLACEHOLDERS), issue: new Set<string>(ISSUE_PLACEHOLDERS) };
  // the subject is read from the whole first line so columns in errors count from its start
  const subjectTokens = tokenize(first, source, 1);
  subjectTokens[0] = (subjectTokens[0] as string).slice('Subject:'.length);
  const subject = build(subjectTokens, source, allowed);
  const body = build(tokenize(rest, source, bodyLine), source, allowed);
  if (!containsIssues(body) && !containsIssues(subject)) {
    throw new ClaimTemplateError(source, 'the letter never lists the issues: add a {{#issues}}…{{/issues}} section to the body');
  }
  return { source, subject, body };
}

function containsIssues(nodes: Node[]): boolean {
  return nodes.some((n) => n.kind === 'section' && (n.name === 'issues' || containsIssues(n.children)));
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];

/** 'first', 'second' … then '11th', '12th', '21st'. */
export function claimOrdinal(n: number): string {
  if (n >= 1 && n <= ORDINALS.length) return ORDINALS[n - 1];
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

type Scope = Record<string, string>;

function letterScope(letter: ClaimLetter): Scope {
  return {
    'library.name': letter.library.name,
    'library.accountNumber': letter.library.accountNumber ?? '',
    'vendor.name': letter.vendor.name,
    'vendor.code': letter.vendor.code,
    claimDate: letter.claimDate,
    'batch.id': letter.batchId == null ? '' : String(letter.batchId),
    'issues.count': String(letter.issues.length),
  };
}

function issueScope(issue: ClaimLetterIssue, index: number): Scope {
  return {
    'issue.number': String(index + 1),
    'issue.title': issue.title,
    'issue.issn': issue.issn ?? '',
    'issue.label': issue.label,
    'issue.publicationDate': issue.publicationDate,
    'issue.expectedDate': issue.expectedDate,
    'issue.vendorReference': issue.vendorReference ?? '',
    'issue.accountNumber': issue.accountNumber ?? '',
    'issue.claimNumber': String(issue.claimNumber),
    'issue.claimOrdinal': claimOrdinal(issue.claimNumber),
  };
}

function renderNodes(nodes: Node[], scope: Scope, letter: ClaimLetter): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'value') out += scope[n.name] ?? '';
    else if (n.name === 'issues') {
      letter.issues.forEach((issue, i) => {
        out += renderNodes(n.children, { ...scope, ...issueScope(issue, i) }, letter);
      });
    } else if ((scope[n.name] ?? '').trim() !== '') out += renderNodes(n.children, scope, letter);
  }
  return out;
}

/** The letter for one vendor's claims: the subject on one line, the body as plain text. */
export function renderClaimLetter(template: ClaimTemplate, letter: ClaimLetter): RenderedClaimLetter {
  if (letter.issues.length === 0) throw new Error(`a claim letter to ${letter.vendor.name} needs at least one issue`);
  const scope = letterScope(letter);
  const subject = renderNodes(template.subject, scope, letter).replace(/\s*\n\s*/g, ' ').trim();
  return { subject, text: renderNodes(template.body, scope, letter) };
}
