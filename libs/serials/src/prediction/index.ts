/**
 * Serials issue prediction from MARC 21 853/854/855 captions and patterns: the issue after a given
 * one (predictNext), the issues after it up to a count or a date (predictIssues), the given issue
 * dated (describeIssue) and the issues a year of $w (issuesPerYear, for grace periods). Pure: no
 * clock, no I/O; dates are calendar days in YYYY-MM-DD.
 */
export { describeIssue, predictNext, predictIssues, issuesPerYear, MAX_PREDICTED_ISSUES } from './predict.js';
export type { PredictedIssue, PredictionLimit } from './predict.js';
