/**
 * Claim letters from a template staff can edit (setting `serials.claimTemplate`). The template is a text
 * file: a first line `Subject: …`, a blank line, then the body. Placeholders are `{{name}}`; a section
 * `{{#issues}}…{{/issues}}` repeats once per claimed issue, and `{{#name}}…{{/name}}` around anything else
 * is shown only when that value is not empty (so "ISSN {{issue.issn}}" can vanish for a title without
 * one). A section tag alone on its line takes its line with it, so loops leave no blank lines behind.
 * Every name is checked when the template is read, so a typo fails at start, not in a vendor's mailbox.
 * The language itself is @carrel/templates; this file holds the letter's names and what fills them.
 */

import {
  TemplateError, containsSection, parseLetterTemplate, renderNodes, subjectLine,
  type RenderScope, type TemplateLanguage, type TemplateNode, type TemplatePlace,
} from '@carrel/templates';

export class ClaimTemplateError extends TemplateError {
  /** `where` is the place as a message starts ("claim template") or the template, line and column */
  constructor(where: string | TemplatePlace, message: string) {
    super(typeof where === 'string' ? { source: where } : where, message);
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

export interface ClaimTemplate {
  source: string;
  subject: TemplateNode[];
  body: TemplateNode[];
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

const CLAIM_LANGUAGE: TemplateLanguage = {
  document: 'letter',
  names: LETTER_PLACEHOLDERS,
  loop: { name: 'issues', noun: 'issue', names: ISSUE_PLACEHOLDERS },
  // claim letters have no "shown when empty" section: {{^name}} is not a name
  inverted: false,
  namePattern: /^[A-Za-z][A-Za-z.]*$/,
  error: (at, message) => new ClaimTemplateError(at, message),
};

/**
 * Reads a claim template; `source` names it in errors (the file's path). Throws ClaimTemplateError with
 * the line and column of the first problem.
 */
export function parseClaimTemplate(text: string, source = 'claim template'): ClaimTemplate {
  const { subject, body } = parseLetterTemplate(text, source, CLAIM_LANGUAGE);
  if (!containsSection(body, 'issues') && !containsSection(subject, 'issues')) {
    throw new ClaimTemplateError(source, 'the letter never lists the issues: add a {{#issues}}…{{/issues}} section to the body');
  }
  return { source, subject, body };
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

/** A name the letter does not fill is empty, so a section around it vanishes. */
function claimScope(scope: Scope, letter: ClaimLetter): RenderScope {
  return {
    value: (name) => scope[name] ?? '',
    entries: () => letter.issues.map((issue, i) => claimScope({ ...scope, ...issueScope(issue, i) }, letter)),
  };
}

/** The letter for one vendor's claims: the subject on one line, the body as plain text. */
export function renderClaimLetter(template: ClaimTemplate, letter: ClaimLetter): RenderedClaimLetter {
  if (letter.issues.length === 0) throw new Error(`a claim letter to ${letter.vendor.name} needs at least one issue`);
  const scope = claimScope(letterScope(letter), letter);
  const subject = subjectLine(renderNodes(template.subject, scope, 'issues'));
  return { subject, text: renderNodes(template.body, scope, 'issues') };
}
