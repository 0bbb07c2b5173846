import net from 'node:net';

/**
 * A port-9100 ("JetDirect") printer on 127.0.0.1 for the print tests: it keeps the bytes of every
 * connection, and a job counts as received when the sender closed its side. `stall()` makes it stop
 * reading after its first 64 KiB (a printer out of memory or paused), so a large job stays half-sent for as long as a test needs.
 */
export interface RawPrinter {
  host: string;
  port: number;
  uri: string;
  /** jobs whose sender finished (closed its side), in order */
  jobs: Buffer[];
  /** bytes of connections cut before the sender finished */
  partial: Buffer[];
  /** bytes read so far on connections still open */
  receiving(): number;
  /** connections still open */
  connections(): number;
  stall(on: boolean): void;
  close(): Promise<void>;
}

const STALL_AFTER = 64 * 1024;

export async function startRawPrinter(): Promise<RawPrinter> {
  const jobs: Buffer[] = [];
  const partial: Buffer[] = [];
  const open = new Map<net.Socket, Buffer[]>();
  let stalled = false;
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    open.set(socket, chunks);
    let received = 0;
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      received += c.length;
      // a stalled printer takes a first buffer-full, then reads no more
      if (stalled && received >= STALL_AFTER) socket.pause();
    });
    socket.on('end', () => {
      jobs.push(Buffer.concat(chunks));
      open.delete(socket);
      socket.end();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (open.has(socket)) {
        partial.push(Buffer.concat(chunks));
        open.delete(socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: '127.0.0.1',
    port,
    uri: `socket://127.0.0.1:${port}`,
    jobs,
    partial,
    receiving: () => [...open.values()].reduce((n, chunks) => n + chunks.reduce((m, c) => m + c.length, 0), 0),
    connections: () => open.size,
    stall: (on) => {
      stalled = on;
      for (const s of open.keys()) (on ? s.pause() : s.resume());
    },
    close: async () => {
      for (const s of open.keys()) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
