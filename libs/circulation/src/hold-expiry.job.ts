import { Inject, Injectable, Logger, Module, Optional, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, ConfigError, type CarrelSettings } from '@carrel/config';
import { LocalCirculationEngine, type HoldExpiryReport } from './engine.js';

export const HOLD_EXPIRY_JOB = 'circulation-hold-expiry';

/**
 * Runs the hold-expiry sweep (`LocalCirculationEngine.expireHolds`) on `circulation.holdExpiryCron`, in
 * the library's time zone, in the hub whose scheduler role is on (only there is a SchedulerRegistry):
 * one instance per site sweeps, SIP-only instances do not. A sweep still running when the next is due
 * is not started twice; the sweep is safe to repeat anyway.
 */
@Injectable()
export class HoldExpiryJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('circulation');
  private running: Promise<HoldExpiryReport> | null = null;

  constructor(
    private readonly engine: LocalCirculationEngine,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return !!this.registry && this.settings['scheduler.enabled'];
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    const cronTime = this.settings['circulation.holdExpiryCron'];
    let job: CronJob;
    try {
      job = CronJob.from({ cronTime, timeZone: this.engine.options.timeZone, onTick: () => void this.run().catch((e) => this.log.error(`hold expiry: ${(e as Error).message}`)), start: true });
    } catch (e) {
      throw new ConfigError(`Configuration error: circulation.holdExpiryCron (CARREL_HOLD_EXPIRY_CRON) ${JSON.stringify(cronTime)} is not a valid cron expression (${(e as Error).message})`);
    }
    this.registry!.addCronJob(HOLD_EXPIRY_JOB, job as never);
  }

  onApplicationShutdown(): void {
    if (this.registry?.doesExist('cron', HOLD_EXPIRY_JOB)) this.registry.deleteCronJob(HOLD_EXPIRY_JOB);
  }

  /** One sweep now (the scheduled tick; staff or tests may call it too). */
  run(at: Date = new Date()): Promise<HoldExpiryReport> {
    if (this.running) return this.running;
    this.running = runAs({ actor: 'system:hold-expiry' }, () => this.engine.expireHolds(at))
      .then((report) => {
        this.log.log(`hold expiry: ${report.waiting.length} waiting and ${report.onShelf.length} hold-shelf holds expired`);
        return report;
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}

/** The hold-expiry job on the given circulation module (the hub imports it when the scheduler role is on). */
@Module({})
export class HoldExpiryModule {
  static forRoot(circulation: DynamicModule): DynamicModule {
    return { module: HoldExpiryModule, imports: [circulation], providers: [HoldExpiryJob], exports: [HoldExpiryJob] };
  }
}
