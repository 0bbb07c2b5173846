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
 * template are refused rather than shown to patrons as markup. The language itself is @carrel/templates;
 * this file holds what is the notices' own: their names, HTML refused, and a value never silently empty.
 */

import {
  TemplateError, containsSection, parseLetterTemplate, renderNodes, subjectLine,
  type RenderScope, type TemplateLanguage, type TemplateNode, type TemplatePlace,
} from '@carrel/templates';

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
export class NoticeTemplateError extends TemplateError {
  /** `where` is the place as a message starts ("notice template overdue1") or the template, line and column */
  constructor(where: string | TemplatePlace, problem: string) {
    super(typeof where === 'string' ? { source: where } : where, problem);
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

export interface NoticeTemplate {
  type: NoticeType;
  /** names the template in errors: type, language and file */
  source: string;
  subject: TemplateNode[];
  body: TemplateNode[];
}

const HTML_TAG = /<\/?[A-Za-z][A-Za-z0-9-]*(\s[^<>]*)?\/?>|<!--|&(?:[a-z]+|#\d+);/;

function refuseHtml(lineText: string): { index: number; problem: string } | undefined {
  const html = HTML_TAG.exec(lineText);
  if (!html) return undefined;
  return { index: html.index, problem: `${JSON.stringify(html[0])} looks like HTML: notices are plain text (email and print alike), write the text itself` };
}

function noticeLanguage(type: NoticeType): TemplateLanguage {
  const names = NOTICE_PLACEHOLDERS[type];
  return {
    document: 'notice',
    names: names.top,
    loop: { name: 'items', noun: 'item', names: names.item.map((n) => `item.${n}`) },
    inverted: true,
    unknownIn: `for a ${type} notice`,
    refuseLine: refuseHtml,
    error: (at, problem) => new NoticeTemplateError(at, problem),
  };
}

/**
 * Reads a template of the given notice type; `source` names it in errors (e.g. "notice template
 * overdue1 (fr) config/notices/fr/overdue1.txt"). Throws NoticeTemplateError with the line and column
 * of the first problem.
 */
export function parseNoticeTemplate(type: NoticeType, text: string, source: string = `notice template ${type}`): NoticeTemplate {
  if (!isNoticeType(type)) throw new NoticeTemplateError(source, `${JSON.stringify(type)} is not a notice type; known: ${NOTICE_TYPES.join(', ')}`);
  const { subject, body } = parseLetterTemplate(text, source, noticeLanguage(type));
  if (!containsSection(body, 'items')) throw new NoticeTemplateError(source, 'the notice never lists its items: add a {{#items}}…{{/items}} section to the body');
  return { type, source, subject, body };
}

/** The notice's values, and inside the loop one item's as `item.*`; a value the data lacks is an error. */
function noticeScope(source: string, data: NoticeData, item: Record<string, NoticeValue> | null): RenderScope {
  return {
    value(name, at) {
      const v = name.startsWith('item.') ? (item ? item[name.slice(5)] : undefined) : data.values[name];
      if (v === undefined) throw new NoticeTemplateError({ source, line: at.line, column: at.column }, `{{${name}}} has no value in this notice`);
      return v ?? '';
    },
    entries: () => data.items.map((it) => noticeScope(source, data, it)),
  };
}

/** The notice as text: the subject on one line, the body with its line breaks. */
export function renderNotice(template: NoticeTemplate, data: NoticeData): RenderedNotice {
  if (data.items.length === 0) throw new NoticeTemplateError(template.source, 'a notice needs at least one item');
  const values = { ...data.values, 'items.count': String(data.items.length) };
  const scope = noticeScope(template.source, { values, items: data.items }, null);
  const subject = subjectLine(renderNodes(template.subject, scope, 'items'));
  const body = renderNodes(template.body, scope, 'items').replace(/[ \t]+$/gm, '').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
  return { subject, body };
}
