/**
 * The machine's ceiling for request/response over loopback TCP in Node.js, with no work at all: an echo
 * server in one process and closed-loop clients in another, each message one small frame each way (as
 * a SIP2 request and its answer). No SIP2 server can answer faster than this on the same machine; the
 * figures in docs/PERFORMANCE.md are read against it.
 *
 *   node dist/bench/tcp-echo-ceiling.js [--conns 10,100] [--seconds 5]
 */
import { fork } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);

if (process.argv[2] === 'serve') {
  const server = net.createServer((s) => {
    s.setNoDelay(true);
    s.on('data', (d) => s.write(d));
  });
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as net.AddressInfo).port));
} else {
  const CONNS = (args.get('conns') ?? '10,100').split(',').map(Number);
  const SECONDS = Number(args.get('seconds') ?? 5);
  const child = fork(fileURLToPath(import.meta.url), ['serve']);
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
    console.log(`echo @ ${String(conns).padStart(4)} connections: ${Math.round(n / SECONDS)} round trips/s`);
    for (const s of sockets) s.destroy();
  }
  child.kill();
}
