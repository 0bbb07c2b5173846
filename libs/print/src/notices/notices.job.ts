import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, ConfigError, type CarrelSettings } from '@carrel/config';
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
  private running: Promise<{ generated: GenerateReport; delivered: DeliverReport }> | null = null;

  constructor(
    private readonly notices: NoticesService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return !!this.registry && this.settings['scheduler.enabled'];
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    const cronTime = this.settings['print.noticesCron'];
    const timeZone = this.settings['circulation.timeZone'] || undefined;
    let job: CronJob;
    try {
      job = CronJob.from({ cronTime, timeZone, onTick: () => void this.run().catch((e) => this.log.error(`notices: ${(e as Error).message}`)), start: true });
    } catch (e) {
      throw new ConfigError(`Configuration error: print.noticesCron (CARREL_PRINT_NOTICES_CRON) ${JSON.stringify(cronTime)} is not a valid cron expression (${(e as Error).message})`);
    }
    this.registry!.addCronJob(NOTICES_JOB, job as never);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry?.doesExist('cron', NOTICES_JOB)) this.registry.deleteCronJob(NOTICES_JOB);
    await this.running?.catch(() => undefined);
  }

  /** One run now (the scheduled tick; tests pass their clock). */
  run(now: Date = new Date()): Promise<{ generated: GenerateReport; delivered: DeliverReport }> {
    if (this.running) return this.running;
    this.running = runAs({ actor: 'system:notices' }, () => this.notices.run(now))
      .then((r) => {
        const { generated: g, delivered: d } = r;
        this.log.log(`notices: ${g.created.length} new, ${d.emailed.length} emailed, ${d.printed.reduce((n, p) => n + p.notices.length, 0)} queued for print in ${d.printed.length} job(s), ${d.failed.length} failed`);
        for (const p of g.problems) this.log.error(`notices: ${p}`);
        for (const f of d.failed) this.log.warn(`notice ${f.id}: ${f.error}`);
        return r;
      })
      .finally(() => (this.running = null));
    return this.running;
  }
}
