/**
 * SIP2 load generator: a separate process that drives a real Carrel hub over TCP.
 *
 *   npm run bench:sip2-load -- [--db sqlite|postgresql] [--conns 10,100,1000] [--seconds 10] [--idle 5000]
 *                              [--rate 500,1000,2000] [--rate-conns 100] [--info-conns 10] [--pin 1]
 * (0 for --conns, --rate or --info-conns leaves that run out)
 *
 * It makes a fresh database (SQLite file, or a schema in CARREL_BENCH_PG_URL), seeds the demo library
 * plus BENCH_ITEMS extra items and BENCH_PATRONS extra patrons with the `carrel` command, starts the
 * hub with only its SIP2 role, then for each connection count runs checkout+checkin pairs (each
 * connection on its own items, so none waits for another's) and item information requests at 10
 * connections; before those, it holds idle logged-in connections open and reads the hub's memory before
 * and after, each time after a garbage collection in the hub (support/hub-memory-probe.ts).
 * Prints transactions per second and p50/p99 latency per message. A transaction is one SIP request and
 * its answer (a checkout, or a checkin).
 *
 * Two kinds of run, because they answer different questions:
 * - closed loop (`--conns`): every connection sends its next request the moment the last is answered.
 *   That measures the most the hub can do, but latency there is only queueing (Little's law: 100
 *   connections always waiting at 2,000/s means 50 ms each), so its p99 says nothing about kiosks.
 * - open loop (`--rate R --rate-conns N`): N connections together offer R transactions/s on a fixed
 *   schedule, as a busy floor of kiosks and sorters does. Latency is measured from when a request was due,
 *   not from when it was sent, so a slow answer that delays the next request counts against the hub
 *   (no coordinated omission). This is the run the p99 target is about.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { hashPin } from '@carrel/patrons';
import { percentile } from './median.js';
import { BENCH_ITEMS, BENCH_PATRONS, loadItem, loadPatron, prepareBenchLibrary, root, type BenchLibrary } from './support/library.js';
import { MEMORY_LINE, type HubMemory } from './support/hub-memory.js';
import { machineNotes } from './support/machine.js';
import { freePort } from './support/ports.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const DB = args.get('db') ?? 'sqlite';
const CONNS = (args.get('conns') ?? '10,100,1000').split(',').map(Number);
const SECONDS = Number(args.get('seconds') ?? 10);
const IDLE = Number(args.get('idle') ?? 5000);
const RATES = (args.get('rate') ?? '2000').split(',').map(Number);
const RATE_CONNS = Number(args.get('rate-conns') ?? 100);
const INFO_CONNS = Number(args.get('info-conns') ?? 10);
// --pin 1: the hub (all its threads) on CPU 0 and this load generator on CPU 1 (Linux taskset), as when
// the kiosks are other machines: neither steals the other's core or cache
const PIN = args.get('pin') === '1';

function sipDate(d = new Date()): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}    ${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** One kiosk: a socket, one request at a time, each answered before the next. */
class Kiosk {
  private buf = '';
  private waiting: ((frame: string) => void) | null = null;
  constructor(readonly socket: net.Socket) {
    socket.setEncoding('latin1');
    socket.setNoDelay(true);
    socket.on('data', (chunk: string) => {
      this.buf += chunk;
      let i: number;
      while ((i = this.buf.indexOf('\r')) >= 0) {
        const frame = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1).replace(/^\n/, '');
        const w = this.waiting;
        this.waiting = null;
        w?.(frame);
      }
    });
  }
  static connect(port: number): Promise<Kiosk> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve(new Kiosk(s)));
      s.once('error', reject);
    });
  }
  send(frame: string): Promise<string> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.socket.write(`${frame}\r`, 'latin1');
    });
  }
  close(): void {
    this.socket.destroy();
  }
}

/** CPU seconds (user + system) a process has used: on a shared machine a steadier figure than wall time */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** the hub's memory after a garbage collection, as support/hub-memory-probe.ts prints it on SIGUSR2 */
function hubMemory(child: ChildProcess): Promise<HubMemory> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => done(new Error('the hub did not report its memory within 10 s')), 10_000);
    const onData = (d: Buffer) => {
      text += d.toString();
      const start = text.indexOf(MEMORY_LINE);
      const end = start < 0 ? -1 : text.indexOf('\n', start);
      if (end > 0) done(null, JSON.parse(text.slice(start + MEMORY_LINE.length, end)) as HubMemory);
    };
    const done = (e: Error | null, m?: HubMemory) => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      if (e) reject(e);
      else resolve(m!);
    };
    child.stdout!.on('data', onData);
    child.kill('SIGUSR2');
  });
}

async function waitForPort(port: number, hub: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (hub.exitCode !== null) throw new Error(`hub exited: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('hub did not open its SIP2 port within 150 s');
}

async function loginAll(n: number, port: number): Promise<Kiosk[]> {
  const kiosks: Kiosk[] = [];
  for (let i = 0; i < n; i += 200) {
    const batch = await Promise.all(Array.from({ length: Math.min(200, n - i) }, () => Kiosk.connect(port)));
    const answers = await Promise.all(batch.map((k) => k.send('9300CNbench|CObench|CPMAIN|')));
    if (!answers.every((a) => a.startsWith('941'))) throw new Error(`login refused: ${answers.find((a) => !a.startsWith('941'))}`);
    kiosks.push(...batch);
  }
  return kiosks;
}

async function checkoutCheckin(port: number, conns: number, seconds: number) {
  const kiosks = await loginAll(conns, port);
  const lat = { checkout: [] as number[], checkin: [] as number[] };
  let refused = 0;
  const until = Date.now() + seconds * 1000;
  const perConn = Math.max(1, Math.floor(BENCH_ITEMS / conns));
  await Promise.all(
    kiosks.map(async (k, c) => {
      let n = 0;
      while (Date.now() < until) {
        const item = loadItem(c * perConn + (n % perConn));
        const patron = loadPatron(c + n);
        let t = performance.now();
        const out = await k.send(`11YN${sipDate()}${sipDate()}AOCARREL|AA${patron}|AB${item}|AC|`);
        lat.checkout.push(performance.now() - t);
        if (!out.startsWith('121')) refused++;
        t = performance.now();
        const back = await k.send(`09N${sipDate()}${sipDate()}APMAIN|AOCARREL|AB${item}|AC|`);
        lat.checkin.push(performance.now() - t);
        if (!back.startsWith('101')) refused++;
        n++;
      }
    }),
  );
  for (const k of kiosks) k.close();
  const all = [...lat.checkout, ...lat.checkin].sort((a, b) => a - b);
  lat.checkout.sort((a, b) => a - b);
  lat.checkin.sort((a, b) => a - b);
  return { tps: all.length / seconds, total: all.length, refused, p50: percentile(all, 50), p99: percentile(all, 99), co99: percentile(lat.checkout, 99), ci99: percentile(lat.checkin, 99) };
}

/** Open loop: `conns` connections together offer `rate` transactions/s, alternating checkout and checkin. */
async function checkoutCheckinAtRate(port: number, conns: number, rate: number, seconds: number) {
  const kiosks = await loginAll(conns, port);
  const lat: number[] = [];
  // from when the request was written: without the load generator's own lateness in sending it
  const fromSend: number[] = [];
  let refused = 0;
  let late = 0;
  const interval = (conns / rate) * 1000;
  const start = performance.now() + 50;
  const end = start + seconds * 1000;
  const perConn = Math.max(1, Math.floor(BENCH_ITEMS / conns));
  // CARREL_BENCH_LATENCY_LOG=FILE writes "ms-since-start latency-ms message" per request to FILE.RATE,
  // after a first line "start EPOCH-MS" (to line it up with the hub's own logs)
  const series: string[] | null = process.env.CARREL_BENCH_LATENCY_LOG ? [] : null;
  await Promise.all(
    kiosks.map(async (k, c) => {
      // spread the connections' first requests over one interval, so they do not all fire together
      let due = start + (interval * c) / conns;
      let n = 0;
      // a checkout always gets its checkin, so the next run finds every item on the shelf
      while (due < end || n % 2 === 1) {
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        else if (wait < -interval) late++;
        const item = loadItem(c * perConn + (Math.floor(n / 2) % perConn));
        const patron = loadPatron(c + n);
        const sent = performance.now();
        const out =
          n % 2 === 0
            ? await k.send(`11YN${sipDate()}${sipDate()}AOCARREL|AA${patron}|AB${item}|AC|`)
            : await k.send(`09N${sipDate()}${sipDate()}APMAIN|AOCARREL|AB${item}|AC|`);
        lat.push(performance.now() - due);
        fromSend.push(performance.now() - sent);
        series?.push(`${(due - start).toFixed(1)} ${(performance.now() - due).toFixed(2)} ${n % 2 === 0 ? 'checkout' : 'checkin'}`);
        if (!out.startsWith(n % 2 === 0 ? '121' : '101')) refused++;
        n++;
        due += interval;
      }
    }),
  );
  const took = (performance.now() - start) / 1000;
  if (series) writeFileSync(`${process.env.CARREL_BENCH_LATENCY_LOG}.${rate}`, `start ${(performance.timeOrigin + start).toFixed(1)}\n${series.join('\n')}\n`);
  for (const k of kiosks) k.close();
  lat.sort((a, b) => a - b);
  fromSend.sort((a, b) => a - b);
  return { tps: lat.length / took, total: lat.length, refused, late, p50: percentile(lat, 50), p99: percentile(lat, 99), p999: percentile(lat, 99.9), max: lat[lat.length - 1] ?? NaN, sentP99: percentile(fromSend, 99) };
}

async function itemInformation(port: number, conns: number, seconds: number) {
  const kiosks = await loginAll(conns, port);
  const lat: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    kiosks.map(async (k, c) => {
      let n = 0;
      while (Date.now() < until) {
        const t = performance.now();
        await k.send(`17${sipDate()}AOCARREL|AB${loadItem(c * 97 + n++)}|`);
        lat.push(performance.now() - t);
      }
    }),
  );
  for (const k of kiosks) k.close();
  lat.sort((a, b) => a - b);
  return { rps: lat.length / seconds, p50: percentile(lat, 50), p99: percentile(lat, 99) };
}

let hub: ChildProcess | undefined;
let library: BenchLibrary | undefined;
try {
  library = await prepareBenchLibrary(DB);
  const { work, env } = library;
  const accounts = path.join(work, 'sip2-accounts.json');
  writeFileSync(accounts, JSON.stringify([{ login: 'bench', passwordHash: await hashPin('bench', 1024), institution: 'CARREL', branchCode: 'MAIN', charset: 'utf-8', terminator: '\r', checksum: 'ignore' }], null, 2));

  const port = await freePort();
  let log = '';
  // CARREL_BENCH_HUB_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the hub under load
  const nodeArgs = (process.env.CARREL_BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
  // the idle run reads the hub's memory after a garbage collection (support/hub-memory-probe.ts)
  if (IDLE > 0) nodeArgs.push('--expose-gc', '--import', pathToFileURL(path.join(root, 'dist/bench/support/hub-memory-probe.js')).href);
  hub = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/apps/hub/src/main.js')], {
    cwd: root,
    env: { ...process.env, ...env, CARREL_HTTP_ENABLED: 'false', CARREL_SCHEDULER_ENABLED: 'false', CARREL_SIP2_ENABLED: 'true', CARREL_SIP2_LISTENERS: JSON.stringify([{ host: '127.0.0.1', port }]), CARREL_SIP2_ACCOUNTS_FILE: accounts, CARREL_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  hub.stdout!.on('data', (d) => (log = (log + d).slice(-4000)));
  hub.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  await waitForPort(port, hub, () => log);
  if (PIN) {
    execFileSync('taskset', ['-a', '-cp', '0', String(hub.pid)], { stdio: 'ignore' });
    execFileSync('taskset', ['-a', '-cp', '1', String(process.pid)], { stdio: 'ignore' });
  }
  const notes = machineNotes();
  console.log(`database: ${DB}; ${BENCH_ITEMS} load items, ${BENCH_PATRONS} load patrons; ${SECONDS} s per run; Node ${process.version}, ${os.cpus().length} cores${PIN ? '; hub pinned to CPU 0, load generator to CPU 1' : ''}${notes ? `; ${notes}` : ''}`);

  // idle connections first, on a fresh hub, so the load runs' garbage does not hide their cost
  if (IDLE > 0) {
    // a first collection frees the start-up garbage; the hub then gives pages back to the system over a second or so
    await hubMemory(hub);
    await new Promise((r) => setTimeout(r, 2000));
    const before = await hubMemory(hub);
    const idle = await loginAll(IDLE, port);
    await new Promise((r) => setTimeout(r, 2000));
    const after = await hubMemory(hub);
    const kb = (bytes: number) => (bytes / 1024).toFixed(1);
    const per = (k: keyof HubMemory) => kb((after[k] - before[k]) / IDLE);
    console.log(
      `idle: ${IDLE} logged-in connections held; hub resident memory ${Math.round(before.rss / 1024)} kB -> ${Math.round(after.rss / 1024)} kB, both after a garbage collection: ` +
        `${per('rss')} KB per connection (of which JavaScript heap ${per('heapUsed')} KB, buffers and other external ${per('external')} KB)`,
    );
    for (const k of idle) k.close();
  }
  // warm up first (JIT, prepared statements, reference data), so the first run measured is not the coldest
  if (SECONDS > 0) await checkoutCheckin(port, 10, 3);
  for (const conns of CONNS.filter((c) => c > 0)) {
    const cpu0 = cpuSeconds(hub.pid!);
    const r = await checkoutCheckin(port, conns, SECONDS);
    const cpu = ((cpuSeconds(hub.pid!) - cpu0) / r.total) * 1e6;
    console.log(
      `checkout+checkin @ ${String(conns).padStart(4)} connections: ${Math.round(r.tps)} transactions/s (${r.total} in ${SECONDS} s, ${r.refused} refused); p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (checkout p99 ${r.co99.toFixed(2)}, checkin p99 ${r.ci99.toFixed(2)}); hub CPU ${Math.round(cpu)} µs per transaction`,
    );
  }
  for (const RATE of RATES.filter((r) => r > 0 && RATE_CONNS > 0 && SECONDS > 0)) {
    const cpu0 = cpuSeconds(hub.pid!);
    const own0 = process.cpuUsage();
    const r = await checkoutCheckinAtRate(port, RATE_CONNS, RATE, SECONDS);
    const cpu = ((cpuSeconds(hub.pid!) - cpu0) / r.total) * 1e6;
    const own = process.cpuUsage(own0);
    const ownCpu = (own.user + own.system) / r.total;
    console.log(
      `checkout+checkin offered at ${RATE}/s over ${RATE_CONNS} connections: ${Math.round(r.tps)} transactions/s answered (${r.total} in ${SECONDS} s of schedule, ${r.refused} refused, ${r.late} sent more than one interval late); latency from when due: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, p99.9 ${r.p999.toFixed(2)} ms, max ${r.max.toFixed(2)} ms (p99 from when sent ${r.sentP99.toFixed(2)} ms); hub CPU ${Math.round(cpu)} µs per transaction (the load generator's own ${Math.round(ownCpu)} µs)`,
    );
  }
  if (INFO_CONNS > 0 && SECONDS > 0) {
    const cpu0 = cpuSeconds(hub.pid!);
    const info = await itemInformation(port, INFO_CONNS, SECONDS);
    const cpu = ((cpuSeconds(hub.pid!) - cpu0) / (info.rps * SECONDS)) * 1e6;
    console.log(`item information @ ${String(INFO_CONNS).padStart(4)} connections: ${Math.round(info.rps)} requests/s; p50 ${info.p50.toFixed(2)} ms, p99 ${info.p99.toFixed(2)} ms; hub CPU ${Math.round(cpu)} µs per request`);
  }

} finally {
  if (hub && hub.exitCode === null) {
    // a hub that exits on its own writes its --cpu-prof profile
    const exited = new Promise((r) => hub!.once('exit', r));
    hub.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  }
  await library?.cleanup();
}
process.exit(0);
