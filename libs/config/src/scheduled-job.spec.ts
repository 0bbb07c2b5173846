import { SchedulerRegistry } from '@nestjs/schedule';
import { OneRunAtATime, scheduleCron, scheduleInterval, schedulerOn, type CronSchedule } from './scheduled-job.js';
import { ConfigError, loadSettings, type CarrelSettings } from './settings.js';

const settingsWith = (env: Record<string, string> = {}): CarrelSettings => loadSettings({ env, baseDir: '/srv/carrel', file: null });

/** A promise the test settles by hand, to hold a run open. */
function gate<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: Error) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('schedulerOn', () => {
  it('is on only with a SchedulerRegistry and scheduler.enabled', () => {
    const registry = new SchedulerRegistry();
    expect(schedulerOn(registry, settingsWith())).toBe(true);
    expect(schedulerOn(registry, settingsWith({ CARREL_SCHEDULER_ENABLED: 'false' }))).toBe(false);
    expect(schedulerOn(undefined, settingsWith())).toBe(false);
  });
});

describe('scheduleCron', () => {
  const errors: string[] = [];
  const log = { error: (m: string) => void errors.push(m) };
  const base = (registry: SchedulerRegistry, settings: CarrelSettings, run: () => Promise<unknown> = async () => undefined): CronSchedule => ({
    registry, name: 'test-sweep', setting: 'serials.lateCron', settings, timeZone: 'Pacific/Auckland', run, label: 'test sweep', log,
  });

  it('a cron expression the scheduler cannot read is a ConfigError naming the setting and its environment variable, and registers nothing', () => {
    const registry = new SchedulerRegistry();
    // passes the settings' own 5-or-6-fields check, but no minute 61 or hour 25 exists
    const settings = settingsWith({ CARREL_SERIALS_LATE_CRON: '61 25 * * * *' });
    expect(() => scheduleCron(base(registry, settings))).toThrow(ConfigError);
    expect(() => scheduleCron(base(registry, settings))).toThrow(
      /^Configuration error: serials\.lateCron \(CARREL_SERIALS_LATE_CRON\) "61 25 \* \* \* \*" is not a valid cron expression \(.+\)$/,
    );
    expect(registry.doesExist('cron', 'test-sweep')).toBe(false);
  });

  it('registers the job on the setting, in the time zone given, and the stop removes it (twice is harmless)', () => {
    const registry = new SchedulerRegistry();
    const stop = scheduleCron(base(registry, settingsWith({ CARREL_SERIALS_LATE_CRON: '15 3 * * *' })));
    const job = registry.getCronJob('test-sweep');
    expect(job.isActive).toBe(true);
    const next = job.nextDate().setZone('Pacific/Auckland');
    expect([next.hour, next.minute]).toEqual([3, 15]);
    stop();
    expect(registry.doesExist('cron', 'test-sweep')).toBe(false);
    expect(job.isActive).toBe(false);
    expect(() => stop()).not.toThrow();
  });

  it('a run that fails is logged under its label and the schedule stays', async () => {
    const registry = new SchedulerRegistry();
    errors.length = 0;
    const stop = scheduleCron(base(registry, settingsWith(), async () => { throw new Error('database is locked'); }));
    await registry.getCronJob('test-sweep').fireOnTick();
    await new Promise((r) => setImmediate(r));
    expect(errors).toEqual(['test sweep: database is locked']);
    expect(registry.getCronJob('test-sweep').isActive).toBe(true);
    stop();
  });

  it('a name already registered is refused (two jobs never share a name)', () => {
    const registry = new SchedulerRegistry();
    const stop = scheduleCron(base(registry, settingsWith()));
    expect(() => scheduleCron(base(registry, settingsWith()))).toThrow(/test-sweep/);
    stop();
  });
});

describe('scheduleInterval', () => {
  it('ticks every interval until stopped', async () => {
    const registry = new SchedulerRegistry();
    let ticks = 0;
    const stop = scheduleInterval({ registry, name: 'test-queue', everyMs: 5, tick: () => ticks++ });
    expect(registry.doesExist('interval', 'test-queue')).toBe(true);
    // a loaded machine delays timers: wait for two ticks (bounded) rather than a fixed time
    for (let i = 0; i < 200 && ticks < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(ticks).toBeGreaterThanOrEqual(2);
    stop();
    expect(registry.doesExist('interval', 'test-queue')).toBe(false);
    const after = ticks;
    await new Promise((r) => setTimeout(r, 30));
    expect(ticks).toBe(after);
    expect(() => stop()).not.toThrow();
  });
});

describe('OneRunAtATime', () => {
  it('while a run is going, another gets the same run instead of starting twice; once it ends the next starts afresh', async () => {
    const runs = new OneRunAtATime<string>();
    const first = gate<string>();
    let started = 0;
    const a = runs.run(() => (started++, first.promise));
    const b = runs.run(() => (started++, Promise.resolve('second')));
    expect(b).toBe(a);
    expect(started).toBe(1);
    first.resolve('first');
    await expect(b).resolves.toBe('first');
    await expect(runs.run(() => (started++, Promise.resolve('third')))).resolves.toBe('third');
    expect(started).toBe(2);
  });

  it('a run that fails ends too: the next is started, and settled() waits without throwing', async () => {
    const runs = new OneRunAtATime<number>();
    const failing = gate<number>();
    const a = runs.run(() => failing.promise);
    let settled = false;
    const s = runs.settled().then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    failing.reject(new Error('printer unreachable'));
    await expect(a).rejects.toThrow('printer unreachable');
    await s;
    expect(settled).toBe(true);
    await expect(runs.run(async () => 2)).resolves.toBe(2);
    await expect(runs.settled()).resolves.toBeUndefined();
  });
});
