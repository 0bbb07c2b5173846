export { issueLabel, isChronologyOnly, MONTH_NAMES, SEASON_NAMES } from './label.js';
export {
  holdingsStatement,
  holdingRange,
  HOLDING_STATUSES,
  type HeldIssue,
  type HoldingStatus,
  type HoldingsStatement,
  type HoldingsStatementOptions,
} from './statement.js';
export {
  expandHolding,
  compressHoldings,
  compareHoldings,
  compareIssues,
  isSameIssue,
  MAX_EXPANDED_ISSUES,
  type ExpandOptions,
} from './expand.js';
