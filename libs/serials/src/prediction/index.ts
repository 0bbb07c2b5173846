export { describeIssue, predictNext, predictIssues, issuesPerYear, MAX_PREDICTED_ISSUES } from './predict.js';
export type { PredictedIssue, PredictionLimit } from './predict.js';
