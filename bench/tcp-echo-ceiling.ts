/**
 * The machine's ceiling for request/response over loopback TCP in Node.js, with no work at all: an echo
 * server in one process and closed-loop clients in another, each message one small frame each way (as
 * a SIP2 request and its answer). No SIP2 server can answer faster than this on the same machine; the
 * figures in docs/PERFORMANCE.md are read against it.
 *
 *   node dist/bench/tcp-echo-ceiling.js [--conns 10,100] [--seconds 5] [--rate 2000 --rate-conns 100] [--work-us 250]
 *
 * With --rate, also an open loop as bench/sip2-load runs it (connections together offer R requests/s on a
 * fixed schedule, latency from when each was due): the p99 a server doing nothing gets on this machine.
 * --work-us makes the server spin that long per request, as a stand-in for a hub's CPU per transaction,
 * to tell what queueing and the machine add from what a server's own code adds.
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { percentile } from './median.js';
import { machineNotes } from './support/machine.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);

if (process.argv[2] === 'serve') {
  const workUs = Number(process.argv[3] ?? 0);
  const spin = (us: number) => {
    const end = performance.now() + us / 1000;
    while (performance.now() < end);
  };
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => {
      if (workUs > 0) spin(workUs);
      s.write(d);
    });
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as net.AddressInfo).port));
} else {
  const CONNS = (args.get('conns') ?? '10,100').split(',').map(Number);
  const SECONDS = Number(args.get('seconds') ?? 5);
  const RATE = Number(args.get('rate') ?? 0);
  const RATE_CONNS = Number(args.get('rate-conns') ?? 100);
  const WORK_US = Number(args.get('work-us') ?? 0);
  const notes = machineNotes();
  if (notes) console.log(notes);
  const child = fork(fileURLToPath(import.meta.url), ['serve', String(WORK_US)]);
  const port = await new Promise<number>((r) => child.once('message', (m) => r(m as number)));
  const frame = Buffer.from('17202611282210    221000AOCARREL|ABLOAD000123|\r');
  for (const conns of CONNS) {
    const sockets = await Promise.all(Array.from({ length: conns }, () => new Promise<net.Socket>((r) => { const s = net.connect(port, '127.0.0.1', () => r(s)); s.setNoDelay(true); })));
    let n = 0;
    const until = Date.now() + SECONDS * 1000;
    await Promise.all(sockets.map((s) => new Promise<void>((done) => {
      s.on('data', () => {
        n++;
        if (Date.now() < until) s.write(frame);
        else done();
      });
      s.write(frame);
    })));
    console.log(`echo @ ${String(conns).padStart(4)} connections: ${Math.round(n / SECONDS)} round trips/s${WORK_US ? ` (${WORK_US} µs of work each)` : ''}`);
    for (const s of sockets) s.destroy();
  }
  if (RATE > 0) {
    const sockets = await Promise.all(Array.from({ length: RATE_CONNS }, () => new Promise<net.Socket>((r) => { const s = net.connect(port, '127.0.0.1', () => r(s)); s.setNoDelay(true); })));
    const interval = (RATE_CONNS / RATE) * 1000;
    const start = performance.now() + 50;
    const end = start + SECONDS * 1000;
    const lat: number[] = [];
    await Promise.all(sockets.map(async (s, c) => {
      let due = start + (interval * c) / RATE_CONNS;
      while (due < end) {
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        await new Promise<void>((r) => { s.once('data', () => r()); s.write(frame); });
        lat.push(performance.now() - due);
        due += interval;
      }
    }));
    lat.sort((a, b) => a - b);
    const pct = (p: number) => percentile(lat, p).toFixed(2);
    console.log(`echo offered at ${RATE}/s over ${RATE_CONNS} connections${WORK_US ? `, ${WORK_US} µs of work each` : ''}: latency from when due p50 ${pct(50)} ms, p99 ${pct(99)} ms, p99.9 ${pct(99.9)} ms`);
    for (const s of sockets) s.destroy();
  }
  child.kill();
}
