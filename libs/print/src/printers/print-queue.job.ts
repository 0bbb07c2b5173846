import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { PrintQueueService } from './print-queue.service.js';

export const PRINT_QUEUE_INTERVAL = 'print-queue';

/**
 * Sends the print queue every print.queueIntervalSeconds in the hub whose scheduler role is on (one
 * instance per site). On start it first puts back jobs a stopped process left half-sent.
 */
@Injectable()
export class PrintQueueJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('print');
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly queue: PrintQueueService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return !!this.registry && this.settings['scheduler.enabled'];
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.active) return;
    await this.queue.recoverInterrupted();
    const timer = setInterval(() => void this.tick(), this.settings['print.queueIntervalSeconds'] * 1000);
    this.registry!.addInterval(PRINT_QUEUE_INTERVAL, timer);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry?.doesExist('interval', PRINT_QUEUE_INTERVAL)) this.registry.deleteInterval(PRINT_QUEUE_INTERVAL);
    await this.running?.catch(() => undefined);
  }

  /** One pass (skipped while the previous one runs). */
  tick(now = new Date()): Promise<unknown> {
    if (this.running) return this.running;
    this.running = runAs({ actor: 'system:print-queue' }, () => this.queue.processQueue(now))
      .catch((e) => this.log.error(`print queue: ${(e as Error).message}`))
      .finally(() => (this.running = null));
    return this.running;
  }
}
