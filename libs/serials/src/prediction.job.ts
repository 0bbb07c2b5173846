import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, Optional } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, OneRunAtATime, scheduleCron, schedulerOn, type CarrelSettings } from '@carrel/config';
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
  private readonly runs = new OneRunAtATime<PredictionRunReport>();
  private stop?: () => void;

  constructor(
    private readonly subscriptions: SubscriptionsService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return schedulerOn(this.registry, this.settings);
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    this.stop = scheduleCron({
      registry: this.registry!, name: PREDICTION_JOB, setting: 'serials.predictionCron', settings: this.settings,
      timeZone: this.settings['circulation.timeZone'] || undefined, run: () => this.run(), label: 'serials prediction', log: this.log,
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** One run now (the scheduled tick; tests pass their clock). */
  run(now: Date = new Date()): Promise<PredictionRunReport> {
    return this.runs.run(() => {
      const today = this.subscriptions.today(now);
      return runAs({ actor: 'system:serials-prediction' }, () => this.subscriptions.predictAll(today))
        .then(({ reports, failed }: { reports: PredictionReport[]; failed: PredictionRunReport['failed'] }) => {
          const created = reports.reduce((n, r) => n + r.created, 0);
          this.log.log(`serials prediction to ${this.subscriptions.horizon(today)}: ${created} issues expected in ${reports.length} subscriptions${failed.length ? `, ${failed.length} failed` : ''}`);
          for (const f of failed) this.log.error(`serials prediction: subscription ${f.subscriptionId}: ${f.error}`);
          return { today, subscriptions: reports.length, created, failed };
        });
    });
  }
}
