import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, ConfigError, type CarrelSettings } from '@carrel/config';
import { SubscriptionsService, type PredictionReport } from './subscriptions.service.js';

export const PREDICTION_JOB = 'serials-prediction';

export interface PredictionRunReport {
  today: string;
  subscriptions: number;
  created: number;
  failed: { subscriptionId: number; error: string }[];
}

/**
 * Extends every active subscription's expected issues to the horizon on `serials.predictionCron`, in the
 * library's time zone, in the hub whose scheduler role is on (only there is a SchedulerRegistry). A run
 * continues after the issues already there, so an extra or overlapping run creates nothing twice.
 */
@Injectable()
export class PredictionJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('serials');
  private running: Promise<PredictionRunReport> | null = null;

  constructor(
    private readonly subscriptions: SubscriptionsService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return !!this.registry && this.settings['scheduler.enabled'];
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    const cronTime = this.settings['serials.predictionCron'];
    const timeZone = this.settings['circulation.timeZone'] || undefined;
    let job: CronJob;
    try {
      job = CronJob.from({ cronTime, timeZone, onTick: () => void this.run().catch((e) => this.log.error(`serials prediction: ${(e as Error).message}`)), start: true });
    } catch (e) {
      throw new ConfigError(`Configuration error: serials.predictionCron (CARREL_SERIALS_PREDICTION_CRON) ${JSON.stringify(cronTime)} is not a valid cron expression (${(e as Error).message})`);
    }
    this.registry!.addCronJob(PREDICTION_JOB, job as never);
  }

  onApplicationShutdown(): void {
    if (this.registry?.doesExist('cron', PREDICTION_JOB)) this.registry.deleteCronJob(PREDICTION_JOB);
  }

  /** One run now (the scheduled tick; tests pass their clock). */
  run(now: Date = new Date()): Promise<PredictionRunReport> {
    if (this.running) return this.running;
    const today = this.subscriptions.today(now);
    this.running = runAs({ actor: 'system:serials-prediction' }, () => this.subscriptions.predictAll(today))
      .then(({ reports, failed }: { reports: PredictionReport[]; failed: PredictionRunReport['failed'] }) => {
        const created = reports.reduce((n, r) => n + r.created, 0);
        this.log.log(`serials prediction to ${this.subscriptions.horizon(today)}: ${created} issues expected in ${reports.length} subscriptions${failed.length ? `, ${failed.length} failed` : ''}`);
        for (const f of failed) this.log.error(`serials prediction: subscription ${f.subscriptionId}: ${f.error}`);
        return { today, subscriptions: reports.length, created, failed };
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}
