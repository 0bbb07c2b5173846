import net from 'node:net';

/**
 * A port of 127.0.0.1 that nothing holds now, chosen by the kernel, for a server a benchmark or a test
 * starts (test/support/ports.ts hands this one on). A port computed from the process id once fell on a
 * port an earlier run's connection still held, and the hub could not listen.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}
