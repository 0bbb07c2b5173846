import type { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { ConfigError, SETTINGS, type CarrelSettings, type SettingKey } from './settings.js';

// Audit actors (`runAs`) stay with each job: @carrel/audit needs @carrel/db, which needs this lib.

/** The settings whose value is a cron expression (string-valued, named …Cron). */
export type CronSettingKey = { [K in SettingKey]: K extends `${string}Cron` ? (CarrelSettings[K] extends string ? K : never) : never }[SettingKey];

/** What a scheduled job needs of a logger (Nest's Logger fits). */
export interface JobLog {
  error(message: string): unknown;
}

/**
 * Whether this instance runs scheduled jobs: the hub provides a SchedulerRegistry only where the scheduler
 * role is on, and scheduler.enabled lets a site keep it off in all but one instance.
 */
export function schedulerOn(registry: SchedulerRegistry | undefined, settings: CarrelSettings): registry is SchedulerRegistry {
  return !!registry && settings['scheduler.enabled'];
}

export interface CronSchedule {
  registry: SchedulerRegistry;
  /** the job's name in the registry */
  name: string;
  /** the setting holding the cron expression; named with its environment variable when it is bad */
  setting: CronSettingKey;
  settings: CarrelSettings;
  /** IANA zone the expression is read in (undefined: the machine's) */
  timeZone?: string;
  /** one run; a run that fails is logged as `${label}: ${message}` and the schedule goes on */
  run: () => Promise<unknown>;
  label: string;
  log: JobLog;
}

/**
 * Registers `run` on the cron expression of `setting` and returns what removes it again. A bad expression
 * is a ConfigError naming the setting and its environment variable, so the hub refuses to start.
 */
export function scheduleCron(o: CronSchedule): () => void {
  const cronTime = o.settings[o.setting];
  let job: CronJob;
  try {
    job = CronJob.from({ cronTime, timeZone: o.timeZone, onTick: () => void o.run().catch((e) => o.log.error(`${o.label}: ${(e as Error).message}`)), start: true });
  } catch (e) {
    throw new ConfigError(`Configuration error: ${o.setting} (${SETTINGS[o.setting].env}) ${JSON.stringify(cronTime)} is not a valid cron expression (${(e as Error).message})`);
  }
  o.registry.addCronJob(o.name, job as never);
  return () => {
    if (o.registry.doesExist('cron', o.name)) o.registry.deleteCronJob(o.name);
  };
}

/** Registers `tick` every `everyMs` milliseconds and returns what removes it again; `tick` catches its own errors. */
export function scheduleInterval(o: { registry: SchedulerRegistry; name: string; everyMs: number; tick: () => unknown }): () => void {
  o.registry.addInterval(o.name, setInterval(() => void o.tick(), o.everyMs));
  return () => {
    if (o.registry.doesExist('interval', o.name)) o.registry.deleteInterval(o.name);
  };
}

/**
 * Never two runs at once: while one is going, asking for another gets the one going (a tick that comes
 * while the last run is still busy, or staff starting a run by hand at that moment).
 */
export class OneRunAtATime<T> {
  private current: Promise<T> | null = null;

  run(start: () => Promise<T>): Promise<T> {
    if (this.current) return this.current;
    this.current = start().finally(() => (this.current = null));
    return this.current;
  }

  /** Resolves when the run going (if any) has ended, however it ended; for shutdown. */
  async settled(): Promise<void> {
    await this.current?.catch(() => undefined);
  }
}
