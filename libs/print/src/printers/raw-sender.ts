import net from 'node:net';

/**
 * Port 9100 ("JetDirect", socket://): the bytes go as they are and nothing comes back. The job is done
 * when every byte was written and the connection closed cleanly; a reset, a refusal or a stall (no
 * progress for timeoutMs) is a network error the queue retries.
 */
export class RawSendError extends Error {}

export function sendRaw(host: string, port: number, bytes: Buffer, timeoutMs: number): Promise<{ bytes: number }> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) {
        socket.destroy();
        reject(err);
      } else resolve({ bytes: bytes.length });
    };
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => done(new RawSendError(`socket://${host}:${port}: no progress within ${timeoutMs} ms`)));
    socket.on('error', (e: NodeJS.ErrnoException) => done(new RawSendError(`socket://${host}:${port}: ${e.code ? `${e.code} ` : ''}${e.message}`)));
    // data the printer sends back (some send status text) is read and dropped so it never blocks the socket
    socket.on('data', () => undefined);
    socket.on('connect', () => {
      socket.end(bytes);
    });
    socket.on('close', (hadError) => {
      if (hadError) return done(new RawSendError(`socket://${host}:${port}: the connection failed while sending`));
      // everything written and flushed: end() only closes after the last byte is handed to the kernel
      if (socket.bytesWritten >= bytes.length) done();
      else done(new RawSendError(`socket://${host}:${port}: the printer closed the connection after ${socket.bytesWritten} of ${bytes.length} bytes`));
    });
  });
}
