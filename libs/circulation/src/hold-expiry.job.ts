import { Inject, Injectable, Logger, Module, Optional, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { runAs } from '@carrel/audit';
import { CARREL_SETTINGS, OneRunAtATime, scheduleCron, schedulerOn, type CarrelSettings } from '@carrel/config';
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
  private readonly sweep = new OneRunAtATime<HoldExpiryReport>();
  private stop?: () => void;

  constructor(
    private readonly engine: LocalCirculationEngine,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
    @Optional() private readonly registry?: SchedulerRegistry,
  ) {}

  get active(): boolean {
    return schedulerOn(this.registry, this.settings);
  }

  onApplicationBootstrap(): void {
    if (!this.active) return;
    this.stop = scheduleCron({
      registry: this.registry!, name: HOLD_EXPIRY_JOB, setting: 'circulation.holdExpiryCron', settings: this.settings,
      timeZone: this.engine.options.timeZone, run: () => this.run(), label: 'hold expiry', log: this.log,
    });
  }

  onApplicationShutdown(): void {
    this.stop?.();
  }

  /** One sweep now (the scheduled tick; staff or tests may call it too). */
  run(at: Date = new Date()): Promise<HoldExpiryReport> {
    return this.sweep.run(() => runAs({ actor: 'system:hold-expiry' }, () => this.engine.expireHolds(at))
      .then((report) => {
        this.log.log(`hold expiry: ${report.waiting.length} waiting and ${report.onShelf.length} hold-shelf holds expired`);
        return report;
      }));
  }
}

/** The hold-expiry job on the given circulation module (the hub imports it when the scheduler role is on). */
@Module({})
export class HoldExpiryModule {
  static forRoot(circulation: DynamicModule): DynamicModule {
    return { module: HoldExpiryModule, imports: [circulation], providers: [HoldExpiryJob], exports: [HoldExpiryJob] };
  }
}
