import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, OneRunAtATime, scheduleCron, schedulerOn, type CarrelSettings } from '@carrel/config';
import { NoticesService, type DeliverReport, type GenerateReport } from './notices.service.js';

export const NOTICES_JOB = 'print-notices';

/**
 * Generates the notices due and delivers them (and retries failed emails) on `print.noticesCron`, in the
 * library's time zone, in the hub whose scheduler role is on (only there is a SchedulerRegistry). A run
 * still going when the next is due is not started twice; a second run changes nothing anyway: every item
 * told of is recorded once.
 */
@Injectable()
export class NoticesJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('notices');
  private readonly runs = new OneRunAtATime<{ generated: GenerateReport; delivered: DeliverReport }>();
  private stop?: () => void;

  constructor(
    private readonly notices: NoticesService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return schedulerOn(this.registry, this.settings);
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    this.stop = scheduleCron({
      registry: this.registry!, name: NOTICES_JOB, setting: 'print.noticesCron', settings: this.settings,
      timeZone: this.settings['circulation.timeZone'] || undefined, run: () => this.run(), label: 'notices', log: this.log,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop?.();
    await this.runs.settled();
  }

  /** One run now (the scheduled tick; tests pass their clock). */
  run(now: Date = new Date()): Promise<{ generated: GenerateReport; delivered: DeliverReport }> {
    return this.runs.run(() => runAs({ actor: 'system:notices' }, () => this.notices.run(now))
      .then((r) => {
        const { generated: g, delivered: d } = r;
        this.log.log(`notices: ${g.created.length} new, ${d.emailed.length} emailed, ${d.printed.reduce((n, p) => n + p.notices.length, 0)} queued for print in ${d.printed.length} job(s), ${d.failed.length} failed`);
        for (const p of g.problems) this.log.error(`notices: ${p}`);
        for (const f of d.failed) this.log.warn(`notice ${f.id}: ${f.error}`);
        return r;
      }));
  }
}
