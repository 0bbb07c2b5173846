import { describe, expect, it } from '@jest/globals';
import {
  TemplateError, containsSection, parseLetterTemplate, renderNodes, subjectLine, type RenderScope, type TemplateLanguage,
} from './index.js';

/** A small letter: a reader's name, and a loop over books with their titles. */
const LANGUAGE: TemplateLanguage = {
  document: 'reminder',
  names: ['reader.name', 'reader.note', 'books.count'],
  loop: { name: 'books', noun: 'book', names: ['book.title', 'book.shelf'] },
  inverted: true,
};

const TEXT = 'Subject: {{books.count}} book(s) for {{reader.name}}\n\nDear {{reader.name}},\n{{#books}}\n- {{book.title}}{{#book.shelf}} (shelf {{book.shelf}}){{/book.shelf}}\n{{/books}}\n{{^reader.note}}\nNo note.\n{{/reader.note}}\n';

function scopeOf(values: Record<string, string>, books: Record<string, string>[]): RenderScope {
  return {
    value(name, at) {
      const v = values[name];
      if (v === undefined) throw new TemplateError({ source: 'test', line: at.line, column: at.column }, `{{${name}}} missing`);
      return v;
    },
    entries: () => books.map((b) => scopeOf({ ...values, ...Object.fromEntries(Object.entries(b).map(([k, v]) => [`book.${k}`, v])) }, books)),
  };
}

function errorOf(text: string, language: TemplateLanguage = LANGUAGE): TemplateError {
  try {
    parseLetterTemplate(text, 'reminder.txt', language);
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateError);
    return e as TemplateError;
  }
  throw new Error('the template was read without an error');
}

describe('letter templates', () => {
  it('reads the subject and body and renders loops, sections shown when set and when empty', () => {
    const t = parseLetterTemplate(TEXT, 'reminder.txt', LANGUAGE);
    expect(containsSection(t.body, 'books')).toBe(true);
    expect(containsSection(t.subject, 'books')).toBe(false);
    const scope = scopeOf({ 'reader.name': 'Ada', 'reader.note': '', 'books.count': '2' }, [{ title: 'Emma', shelf: 'A3' }, { title: 'Ulysses', shelf: '' }]);
    expect(subjectLine(renderNodes(t.subject, scope, 'books'))).toBe('2 book(s) for Ada');
    expect(renderNodes(t.body, scope, 'books')).toBe('Dear Ada,\n- Emma (shelf A3)\n- Ulysses\nNo note.\n');
  });

  it('accepts CRLF line ends and a byte order mark, and counts subject columns from the start of its line', () => {
    const t = parseLetterTemplate('\uFEFFSubject: {{reader.name}}\r\n\r\n{{#books}}x{{/books}}', 'r', LANGUAGE);
    expect(t.subject).toEqual([{ kind: 'text', text: ' ' }, { kind: 'value', name: 'reader.name', at: { line: 1, column: 10 } }]);
  });

  it.each([
    ['an unclosed section', 'Subject: x\n\n{{#books}}\n  {{#book.shelf}}x\n{{/books}}', 'reminder.txt line 5, column 1: {{/books}} found where {{/book.shelf}} (opened at line 4) was expected'],
    ['a section never closed', 'Subject: x\n\nhello\n  {{^reader.note}}x', 'reminder.txt line 4, column 3: {{^reader.note}} is never closed with {{/reader.note}}'],
    ['a close never opened', 'Subject: x\n\nab {{/books}}', 'reminder.txt line 3, column 4: {{/books}} closes a section that was never opened'],
    ['an unknown name', 'Subject: x\n\nDear {{reader.nmae}}', 'reminder.txt line 3, column 6: unknown placeholder {{reader.nmae}}; known: reader.name, reader.note, books.count, books (as a section)'],
    ['an unknown name in the subject', 'Subject: Hi {{readr}}\n\nx', 'reminder.txt line 1, column 13: unknown placeholder {{readr}}'],
    ['a loop name outside the loop', 'Subject: x\n\n{{book.title}}', 'reminder.txt line 3, column 1: {{book.title}} is only known inside {{#books}}…{{/books}}'],
    ['the loop as a value', 'Subject: x\n\n {{books}}', 'reminder.txt line 3, column 2: {{books}} is a list: repeat it with {{#books}}…{{/books}} (or show {{books.count}})'],
    ['the loop inverted', 'Subject: x\n\n{{^books}}x{{/books}}', 'reminder.txt line 3, column 1: {{^books}}: a reminder always has books; show {{books.count}} instead'],
    ['a nested loop', 'Subject: x\n\n{{#books}}{{#books}}x{{/books}}{{/books}}', 'reminder.txt line 3, column 11: {{#books}} inside {{#books}}: the book loop cannot be nested'],
    ['a {{ never closed', 'Subject: x\n\nok\nDear {{reader.name', 'reminder.txt line 4, column 6: a placeholder opened with {{ is not closed with }} on the same line'],
    ['a name that is not a name', 'Subject: x\n\n{{reader..name}}', 'reminder.txt line 3, column 1: {{reader..name}} is not a placeholder name'],
    ['an empty placeholder', 'Subject: x\n\nab{{ }}', 'reminder.txt line 3, column 3: {{ }} is not a placeholder name'],
    ['no subject', 'Dear reader\n\nx', 'reminder.txt line 1: must be the subject, "Subject: …", got "Dear reader"'],
    ['an empty subject', 'Subject: \n\nx', 'reminder.txt line 1: the subject is empty'],
    ['no blank line', 'Subject: x\nbody', 'reminder.txt line 2: must be blank'],
    ['no body', 'Subject: x\n\n \n\n', 'reminder.txt line 3: the reminder has no body'],
  ])('refuses %s, naming the line and column', (_what, text, message) => {
    expect(errorOf(text).message).toContain(message);
  });

  it('gives the place apart from the problem', () => {
    const err = errorOf('Subject: x\n\n\n\n   {{#reader.nam}}x{{/reader.nam}}');
    expect([err.source, err.line, err.column, err.where]).toEqual(['reminder.txt', 5, 4, 'reminder.txt line 5, column 4']);
    expect(err.problem).toMatch(/^unknown placeholder \{\{reader\.nam\}\}/);
  });

  it('takes a stray }} as text, and a stray {{ after it as an error at its column', () => {
    const t = parseLetterTemplate('Subject: x\n\na }} b', 'r', LANGUAGE);
    expect(renderNodes(t.body, scopeOf({}, []), 'books')).toBe('a }} b');
    expect(errorOf('Subject: x\n\na }} b {{ c').message).toBe('reminder.txt line 3, column 8: a placeholder opened with {{ is not closed with }} on the same line');
  });

  it('uses the caller\'s name pattern, error class, refusals and words', () => {
    class ReminderError extends TemplateError {}
    const strict: TemplateLanguage = {
      ...LANGUAGE,
      inverted: false,
      unknownIn: 'for a reminder',
      namePattern: /^[a-z.]+$/,
      refuseLine: (text) => (text.includes('<b>') ? { index: text.indexOf('<b>'), problem: 'no markup' } : undefined),
      error: (at, problem) => new ReminderError(at, problem),
    };
    const unknown = errorOf('Subject: x\n\n{{reader.age}}', strict);
    expect(unknown).toBeInstanceOf(ReminderError);
    expect(unknown.message).toMatch(/^reminder\.txt line 3, column 1: unknown placeholder \{\{reader\.age\}\} for a reminder; known:/);
    // without inverted sections, ^ is no sigil but part of a name
    expect(errorOf('Subject: x\n\n{{^reader.note}}x{{/reader.note}}', strict).message).toBe('reminder.txt line 3, column 1: {{^reader.note}} is not a placeholder name');
    expect(errorOf('Subject: x\n\n{{Reader}}', strict).message).toBe('reminder.txt line 3, column 1: {{Reader}} is not a placeholder name');
    expect(errorOf('Subject: <b>x\n\nbody', strict).message).toBe('reminder.txt line 1, column 10: no markup');
    expect(errorOf('Subject: x\n\nbody\n  <b>', strict).message).toBe('reminder.txt line 4, column 3: no markup');
  });

  it('reads a huge template in time and still names the line and column of a problem at its end', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `{{#books}}{{book.title}} {{reader.name}} line ${i}{{/books}}`);
    const started = Date.now();
    const t = parseLetterTemplate(`Subject: x\n\n${lines.join('\n')}`, 'r', LANGUAGE);
    expect(t.body.filter((n) => n.kind === 'section')).toHaveLength(50_000);
    expect(Date.now() - started).toBeLessThan(10_000);
    const bad = errorOf(`Subject: x\n\n${lines.join('\n')}\n${'y'.repeat(100_000)}{{#books}}`);
    expect(bad.message).toBe('reminder.txt line 50003, column 100001: {{#books}} is never closed with {{/books}}');
  });

  it('renders long loops', () => {
    const t = parseLetterTemplate('Subject: x\n\n{{#books}}{{book.title}},{{/books}}', 'r', LANGUAGE);
    const books = Array.from({ length: 20_000 }, (_, i) => ({ title: `t${i}` }));
    const out = renderNodes(t.body, scopeOf({}, books), 'books');
    expect(out.split(',')).toHaveLength(20_001);
    expect(out.startsWith('t0,t1,')).toBe(true);
  });

  it('leaves a missing value to the caller: its scope may refuse it', () => {
    const t = parseLetterTemplate('Subject: x\n\n{{#books}}\n {{reader.name}}\n{{/books}}', 'r', LANGUAGE);
    expect(() => renderNodes(t.body, scopeOf({}, [{ title: 'a' }]), 'books')).toThrow('test line 4, column 2: {{reader.name}} missing');
  });
});
