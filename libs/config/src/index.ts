export { ConfigError, SETTINGS, describeSettings, loadSettings } from './settings.js';
export type { CarrelSettings, LoadOptions, SettingKey } from './settings.js';
export { CARREL_SETTINGS, ConfigModule } from './config.module.js';
export { projectRoot } from './project-root.js';
export { OneRunAtATime, scheduleCron, scheduleInterval, schedulerOn } from './scheduled-job.js';
export type { CronSchedule, CronSettingKey, JobLog } from './scheduled-job.js';
