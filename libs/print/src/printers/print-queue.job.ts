import { Inject, Injectable, Logger, Optional, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, OneRunAtATime, scheduleInterval, schedulerOn, type CarrelSettings } from '@carrel/config';
import { PrintQueueService } from './print-queue.service.js';

export const PRINT_QUEUE_INTERVAL = 'print-queue';

/**
 * Sends the print queue every print.queueIntervalSeconds in the hub whose scheduler role is on (one
 * instance per site). On start it first puts back jobs a stopped process left half-sent.
 */
@Injectable()
export class PrintQueueJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('print');
  private readonly passes = new OneRunAtATime<unknown>();
  private stop?: () => void;

  constructor(
    private readonly queue: PrintQueueService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return schedulerOn(this.registry, this.settings);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.active) return;
    await this.queue.recoverInterrupted();
    this.stop = scheduleInterval({ registry: this.registry!, name: PRINT_QUEUE_INTERVAL, everyMs: this.settings['print.queueIntervalSeconds'] * 1000, tick: () => this.tick() });
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stop?.();
    await this.passes.settled();
  }

  /** One pass (skipped while the previous one runs). */
  tick(now = new Date()): Promise<unknown> {
    return this.passes.run(() => runAs({ actor: 'system:print-queue' }, () => this.queue.processQueue(now))
      .catch((e) => this.log.error(`print queue: ${(e as Error).message}`)));
  }
}
