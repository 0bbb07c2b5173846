/**
 * The plain-text letter template language shared by patron notices and vendor claim letters. Pure: no
 * I/O, no clock.
 *
 * A template is a text: a first line `Subject: …`, a blank line, then the body. `{{name}}` puts a value;
 * `{{#loop}}…{{/loop}}` repeats once per entry of the letter's one list (the notice's items, the claimed
 * issues); `{{#name}}…{{/name}}` around anything else shows it only when the value is not empty, and, where
 * the caller allows it, `{{^name}}…{{/name}}` only when it is. A section tag alone on its line takes the
 * line with it, so loops and conditions leave no blank lines behind.
 *
 * Which names exist is the caller's vocabulary, checked when the template is read so that a typo fails at
 * start rather than in a reader's letter. Every problem names the template, line and column.
 */

/** Where in which template: `source` names the template (type, language, file); line and column from 1. */
export interface TemplatePlace {
  source: string;
  line?: number;
  column?: number;
}

export interface TemplatePosition {
  line: number;
  column: number;
}

/** A template that cannot be used, or a value missing at render; the message starts with the place. */
export class TemplateError extends Error {
  readonly source: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** the place as the message starts: "fines.txt line 3, column 7" */
  readonly where: string;

  constructor(at: TemplatePlace, readonly problem: string) {
    const where = describePlace(at);
    super(`${where}: ${problem}`);
    this.source = at.source;
    this.line = at.line;
    this.column = at.column;
    this.where = where;
  }
}

function describePlace(at: TemplatePlace): string {
  if (at.line === undefined) return at.source;
  return at.column === undefined ? `${at.source} line ${at.line}` : `${at.source} line ${at.line}, column ${at.column}`;
}

export type TemplateNode =
  | { kind: 'text'; text: string }
  | { kind: 'value'; name: string; at: TemplatePosition }
  | { kind: 'section'; name: string; inverted: boolean; at: TemplatePosition; children: TemplateNode[] };

/** What a kind of letter allows: its names, its one list, and how its errors are made. */
export interface TemplateLanguage {
  /** the letter in words of errors: "the notice has no body", "a notice always has items" */
  document: string;
  /** names known everywhere, e.g. 'library.name', 'items.count' */
  names: readonly string[];
  loop: {
    /** the section that repeats: 'items' */
    name: string;
    /** one entry of it in words: 'item' ("the item loop cannot be nested") */
    noun: string;
    /** names known only inside the loop, in full: 'item.title' */
    names: readonly string[];
  };
  /** whether `{{^name}}` (shown when empty) is a section; where not, `^` makes the name invalid */
  inverted: boolean;
  /** said after "unknown placeholder {{x}}": 'for a fines notice' */
  unknownIn?: string;
  /** what a placeholder name may look like; dotted words of letters and digits unless given */
  namePattern?: RegExp;
  /** a check of each line's raw text: the column (from 0) and problem of what is refused there */
  refuseLine?: (text: string) => { index: number; problem: string } | undefined;
  /** the error the caller's own code catches; a plain TemplateError unless given */
  error?: (at: TemplatePlace, problem: string) => TemplateError;
}

export interface LetterTemplateParts {
  subject: TemplateNode[];
  body: TemplateNode[];
}

const NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;
const SUBJECT = 'Subject:';

interface Tag extends TemplatePosition {
  kind: 'value' | 'open' | 'inverted' | 'close';
  name: string;
}

function failer(language: TemplateLanguage) {
  const make = language.error ?? ((at: TemplatePlace, problem: string) => new TemplateError(at, problem));
  return (at: TemplatePlace, problem: string): never => {
    throw make(at, problem);
  };
}

/** Splits a text into literal runs and tags; lines that hold only one section tag are removed whole. */
function tokenize(text: string, source: string, language: TemplateLanguage, firstLine: number, firstColumn = 1): (string | Tag)[] {
  const fail = failer(language);
  const namePattern = language.namePattern ?? NAME;
  const out: (string | Tag)[] = [];
  const lines = text.split('\n');
  lines.forEach((lineText, i) => {
    const line = firstLine + i;
    const col0 = i === 0 ? firstColumn - 1 : 0;
    const refused = language.refuseLine?.(lineText);
    if (refused) fail({ source, line, column: col0 + refused.index + 1 }, refused.problem);
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
      if (close < 0) fail({ source, line, column }, 'a placeholder opened with {{ is not closed with }} on the same line');
      const inner = lineText.slice(open + 2, close).trim();
      const sigil = inner[0];
      const kind = sigil === '#' ? 'open' : sigil === '^' && language.inverted ? 'inverted' : sigil === '/' ? 'close' : 'value';
      const name = (kind === 'value' ? inner : inner.slice(1)).trim();
      if (!namePattern.test(name)) fail({ source, line, column }, `{{${lineText.slice(open + 2, close)}}} is not a placeholder name`);
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

/** Nests the tokens into sections, checking every name against the language's vocabulary. */
function build(tokens: (string | Tag)[], source: string, language: TemplateLanguage): TemplateNode[] {
  const fail = failer(language);
  const loop = language.loop.name;
  const everywhere = new Set(language.names);
  const inLoopOnly = new Set(language.loop.names);
  const root: TemplateNode[] = [];
  const stack: { tag: Tag; children: TemplateNode[] }[] = [];
  const current = () => (stack.length ? stack[stack.length - 1].children : root);
  const inLoop = () => stack.some((s) => s.tag.name === loop);
  const at = (t: Tag): TemplatePlace => ({ source, line: t.line, column: t.column });
  const check = (t: Tag) => {
    if (everywhere.has(t.name)) return;
    if (inLoopOnly.has(t.name)) {
      if (inLoop()) return;
      fail(at(t), `{{${t.name}}} is only known inside {{#${loop}}}…{{/${loop}}}`);
    }
    const known = inLoop() ? [...everywhere, ...inLoopOnly] : [...everywhere, `${loop} (as a section)`];
    const unknownIn = language.unknownIn ? ` ${language.unknownIn}` : '';
    fail(at(t), `unknown placeholder {{${t.name}}}${unknownIn}; known: ${known.join(', ')}`);
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
      if (tok.name === loop) fail(at(tok), `{{${loop}}} is a list: repeat it with {{#${loop}}}…{{/${loop}}} (or show {{${loop}.count}})`);
      check(tok);
      current().push({ kind: 'value', name: tok.name, at: place });
    } else if (tok.kind === 'open' || tok.kind === 'inverted') {
      if (tok.name === loop) {
        if (tok.kind === 'inverted') fail(at(tok), `{{^${loop}}}: a ${language.document} always has ${loop}; show {{${loop}.count}} instead`);
        if (inLoop()) fail(at(tok), `{{#${loop}}} inside {{#${loop}}}: the ${language.loop.noun} loop cannot be nested`);
      } else check(tok);
      const section: TemplateNode = { kind: 'section', name: tok.name, inverted: tok.kind === 'inverted', at: place, children: [] };
      current().push(section);
      stack.push({ tag: tok, children: section.children });
    } else {
      const open = stack.pop();
      if (!open) return fail(at(tok), `{{/${tok.name}}} closes a section that was never opened`);
      if (open.tag.name !== tok.name) fail(at(tok), `{{/${tok.name}}} found where {{/${open.tag.name}}} (opened at line ${open.tag.line}) was expected`);
    }
  }
  const open = stack.pop();
  if (open) fail(at(open.tag), `{{${open.tag.kind === 'inverted' ? '^' : '#'}${open.tag.name}}} is never closed with {{/${open.tag.name}}}`);
  return root;
}

/**
 * Reads a template: the subject line, the blank line, the body. `source` names it in errors. Throws the
 * language's error with the line and column of the first problem.
 */
export function parseLetterTemplate(text: string, source: string, language: TemplateLanguage): LetterTemplateParts {
  const fail = failer(language);
  const normal = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const newline = normal.indexOf('\n');
  const first = newline < 0 ? normal : normal.slice(0, newline);
  const m = /^Subject:(.*)$/i.exec(first);
  if (!m) return fail({ source, line: 1 }, `must be the subject, "Subject: …", got ${JSON.stringify(first.slice(0, 60))}`);
  if (m[1].trim() === '') fail({ source, line: 1 }, 'the subject is empty');
  let rest = newline < 0 ? '' : normal.slice(newline + 1);
  let bodyLine = 2;
  if (rest.startsWith('\n')) {
    rest = rest.slice(1);
    bodyLine = 3;
  } else if (rest !== '') {
    fail({ source, line: 2 }, 'must be blank: the body starts after a blank line below the subject');
  }
  if (rest.trim() === '') fail({ source, line: bodyLine }, `the ${language.document} has no body`);
  // columns in the subject count from the start of its line, "Subject:" included
  const subject = build(tokenize(m[1], source, language, 1, SUBJECT.length + 1), source, language);
  const body = build(tokenize(rest, source, language, bodyLine), source, language);
  return { subject, body };
}

/** Whether the nodes hold the section `name` at any depth (a letter that never lists its loop is refused). */
export function containsSection(nodes: TemplateNode[], name: string): boolean {
  return nodes.some((n) => n.kind === 'section' && (n.name === name || containsSection(n.children, name)));
}

/** The values one render sees: the letter's, or inside the loop one entry's as well. */
export interface RenderScope {
  /** the text of a name; the caller decides whether a missing value is empty or an error */
  value(name: string, at: TemplatePosition): string;
  /** one scope per entry of the loop, in order */
  entries(): Iterable<RenderScope>;
}

/** The nodes as text; `loop` is the section that repeats over `scope.entries()`. */
export function renderNodes(nodes: TemplateNode[], scope: RenderScope, loop: string): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'value') out += scope.value(n.name, n.at);
    else if (n.name === loop) {
      for (const entry of scope.entries()) out += renderNodes(n.children, entry, loop);
    } else {
      const shown = scope.value(n.name, n.at).trim() !== '';
      if (shown !== n.inverted) out += renderNodes(n.children, scope, loop);
    }
  }
  return out;
}

/** A rendered subject on one line: line breaks a section left inside it become single spaces. */
export function subjectLine(rendered: string): string {
  return rendered.replace(/\s*\n\s*/g, ' ').trim();
}
