import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, OneRunAtATime, scheduleCron, schedulerOn, type CarrelSettings } from '@carrel/config';
import { ClaimsService, type NightlyReport } from './claims.service.js';

export const LATE_JOB = 'serials-late-and-claims';

/**
 * Marks overdue issues late and sends the claims of vendors set to autoSendClaims, on `serials.lateCron`
 * in the library's time zone, in the hub whose scheduler role is on (only there is a SchedulerRegistry).
 * Vendors without a claims address are logged every run until staff add one. A second run the same day
 * changes nothing: late issues stay late and claims already made are not due again before the interval.
 */
@Injectable()
export class LateJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('serials');
  private readonly runs = new OneRunAtATime<NightlyReport>();
  private stop?: () => void;

  constructor(
    private readonly claims: ClaimsService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return schedulerOn(this.registry, this.settings);
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    this.stop = scheduleCron({
      registry: this.registry!, name: LATE_JOB, setting: 'serials.lateCron', settings: this.settings,
      timeZone: this.settings['circulation.timeZone'] || undefined, run: () => this.run(), label: 'serials late issues and claims', log: this.log,
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** One run now (the scheduled tick; tests pass their clock). */
  run(now: Date = new Date()): Promise<NightlyReport> {
    return this.runs.run(() => runAs({ actor: 'system:serials-claims' }, () => this.claims.nightly(now))
      .then((report) => {
        const { build, sent } = report;
        const ok = sent.filter((b) => b.status === 'sent');
        this.log.log(`serials: ${build.late.marked.length} issues marked late; ${ok.length} claim batches sent automatically`);
        for (const b of sent.filter((x) => x.status !== 'sent')) this.log.error(`serials claims: batch ${b.id} to ${b.vendorCode} ${b.status}: ${b.error}`);
        for (const n of build.noContact) this.log.warn(`serials claims: vendor ${n.vendorCode} has ${n.issues} claims due and no claims contact (batch ${n.batchId})`);
        if (build.withoutVendor.length) this.log.warn(`serials claims: ${build.withoutVendor.length} late issues belong to subscriptions with no vendor`);
        return report;
      }));
  }
}
