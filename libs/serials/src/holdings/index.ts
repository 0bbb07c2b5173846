export { issueLabel, isChronologyOnly, MONTH_NAMES, SEASON_NAMES } from './label.js';
