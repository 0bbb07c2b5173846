export {
  ClaimTemplateError, BUILT_IN_CLAIM_TEMPLATE, LETTER_PLACEHOLDERS, ISSUE_PLACEHOLDERS, parseClaimTemplate, renderClaimLetter, claimOrdinal,
} from './template.js';
export type { ClaimLetter, ClaimLetterIssue, ClaimTemplate, RenderedClaimLetter } from './template.js';
export { claimsCsv, csvField, CLAIM_CSV_COLUMNS } from './csv.js';
export { writeOstenq, releaseEdifact, toLatin1, OstenqError } from './ostenq.js';
export type { EdiParty, OstenqInput, OstenqIssue } from './ostenq.js';
export { DEFAULT_GRACE_DAYS, graceDaysFor, lastDayNotLate, isLate, claimDecision } from './late.js';
export type { PastClaim, ClaimDecision } from './late.js';
