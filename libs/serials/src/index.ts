export * from './marc-text.js';
export * from './prediction/index.js';
export * from './holdings/index.js';
export * from './claims/index.js';
export { SerialsModule } from './serials.module.js';
export {
  SubscriptionsService, checkPattern, previewIssues, readIssueValues, presentIssue, presentPattern, presentSubscription, libraryDate, addDays, isIsoDate,
  PATTERN_KINDS, ISSUE_STATUSES, OPEN_STATUSES, MAX_ISSUES_PER_RUN, MAX_PREVIEW,
} from './subscriptions.service.js';
export type { PatternInput, SubscriptionInput, SubscriptionQuery, IssueQuery, PredictionReport, CheckedPattern, PreviewIssue, PatternKind, IssueStatus } from './subscriptions.service.js';
export { CheckinService, CHECKIN_ACTIONS } from './checkin.service.js';
export type { CheckinItem, ReceiveInput, UnpredictedInput } from './checkin.service.js';
export { PredictionJob, PREDICTION_JOB } from './prediction.job.js';
export type { PredictionRunReport } from './prediction.job.js';
export { ClaimsService, CLAIM_CHANNELS, BATCH_STATUSES, claimsContactOf, libraryClock, presentBatch, recordClaimBatch } from './claims.service.js';
export type { ClaimChannel, LateReport, BuildInput, BuildReport, NightlyReport } from './claims.service.js';
export { LateJob, LATE_JOB } from './late.job.js';
export { ClaimsController } from './claims.controller.js';
