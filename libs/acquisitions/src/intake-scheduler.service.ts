import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { CronJob } from 'cron';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, schedulerOn, type CarrelSettings } from '@carrel/config';
import { DbService } from '@carrel/db';
import { SftpPollerService, type PollReport } from './sftp-poller.service.js';

const JOB_PREFIX = 'acquisitions-connector-';
const SYNC_JOB = 'acquisitions-connector-sync';

/**
 * Polls each enabled connector on its own cron schedule, in the hub whose scheduler role is on (the
 * SchedulerRegistry exists only there). Connectors added or changed through the API are picked up by a
 * re-read every minute. A connector backing off after failures is skipped until its retry time.
 */
@Injectable()
export class IntakeSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('acquisitions');
  private readonly running = new Set<number>();
  private readonly schedules = new Map<number, string>();

  constructor(
    private readonly db: DbService,
    private readonly poller: SftpPollerService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return schedulerOn(this.registry, this.settings);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.active) return;
    await this.sync();
    const job = CronJob.from({ cronTime: '0 * * * * *', onTick: () => void this.sync().catch((e) => this.log.error(`connector schedules: ${(e as Error).message}`)), start: true });
    this.registry!.addCronJob(SYNC_JOB, job as never);
  }

  onApplicationShutdown(): void {
    if (!this.registry) return;
    for (const name of this.registry.getCronJobs().keys()) {
      if (name.startsWith(JOB_PREFIX)) this.registry.deleteCronJob(name);
    }
  }

  /** Makes the registered jobs match the enabled connectors and their schedules. */
  async sync(): Promise<string[]> {
    if (!this.registry) return [];
    const connectors = await this.db.prisma.sftpConnector.findMany({ where: { enabled: true, vendor: { active: true } }, select: { id: true, schedule: true } });
    const wanted = new Map(connectors.map((c) => [c.id, c.schedule]));
    for (const [id, schedule] of this.schedules) {
      if (wanted.get(id) !== schedule) {
        this.registry.deleteCronJob(`${JOB_PREFIX}${id}`);
        this.schedules.delete(id);
      }
    }
    for (const [id, schedule] of wanted) {
      if (this.schedules.has(id)) continue;
      try {
        const job = CronJob.from({ cronTime: schedule, onTick: () => void this.runScheduled(id), start: true });
        this.registry.addCronJob(`${JOB_PREFIX}${id}`, job as never);
        this.schedules.set(id, schedule);
      } catch (e) {
        this.log.error(`connector ${id}: schedule "${schedule}" cannot be used: ${(e as Error).message}`);
      }
    }
    return [...this.schedules.keys()].map((id) => `${JOB_PREFIX}${id}`);
  }

  /** One scheduled poll: skipped while the previous one runs or while the connector backs off. */
  async runScheduled(connectorId: number, now = new Date()): Promise<PollReport | null> {
    if (this.running.has(connectorId)) return null;
    this.running.add(connectorId);
    try {
      const c = await this.db.prisma.sftpConnector.findUnique({ where: { id: connectorId }, select: { enabled: true, nextRetryAt: true } });
      if (!c?.enabled || (c.nextRetryAt && c.nextRetryAt > now)) return null;
      const report = await runAs({ actor: 'system:acquisitions-poll' }, () => this.poller.pollConnector(connectorId, { now }));
      if (!report.ok) this.log.warn(`vendor ${report.vendor} connector ${report.connector}: ${report.errorKind}: ${report.error}`);
      return report;
    } catch (e) {
      this.log.error(`connector ${connectorId}: ${(e as Error).message}`);
      return null;
    } finally {
      this.running.delete(connectorId);
    }
  }
}
