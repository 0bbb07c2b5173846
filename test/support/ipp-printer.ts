import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

/**
 * A real IPP Everywhere printer on 127.0.0.1 for the print tests: CUPS' `ippeveprinter` (Debian
 * cups-ipp-utils), taking PDF only and keeping every spooled document. It will not start without DNS-SD,
 * so the test also starts a private system bus (dbus-daemon on a socket in the temp folder) and an
 * avahi-daemon limited to loopback with publishing off, in its own mount namespace so its pid file in
 * /run does not clash with another avahi. Its host name is "localhost": it listens on the loopback
 * addresses of both families (given 127.0.0.1 it fails to make its IPv6 listener and stops). Printing is a script that sleeps `processingSeconds` (set at
 * any time), so a job stays "processing" long enough for a second one to meet server-error-busy.
 */
export const IPPEVEPRINTER = '/usr/sbin/ippeveprinter';

export interface IppPrinter {
  /** ipp://127.0.0.1:PORT/ipp/print */
  uri: string;
  port: number;
  /** with `tls`: ipps://localhost:PORT/ipp/print (the same port answers IPP and IPPS) */
  ippsUri: string | null;
  /** with `tls`: the PEM file of the certificate the printer made for itself (after its first TLS connection) */
  certificateFile(): string | null;
  spoolDir: string;
  /** how long the printer "prints" each job from now on */
  setProcessingSeconds(seconds: number): void;
  /** the PDFs the printer received, oldest first */
  spooled(): Buffer[];
  stop(): Promise<void>;
}

export function haveIppEvePrinter(): boolean {
  return existsSync(IPPEVEPRINTER) && existsSync('/usr/sbin/avahi-daemon') && existsSync('/usr/bin/dbus-daemon');
}


async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms:\n${log()}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const DBUS_CONF = (socket: string) => `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN" "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=${socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/><allow send_type="signal"/><allow send_type="method_return"/><allow send_type="error"/>
    <allow receive_type="method_call"/><allow receive_type="signal"/><allow receive_type="method_return"/><allow receive_type="error"/>
  </policy>
</busconfig>
`;

const AVAHI_CONF = `[server]
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
disable-publishing=yes
`;

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(t);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startIppPrinter(opts: { name?: string; processingSeconds?: number; /** document formats it takes (default PDF only) */ formats?: string; /** also answer IPPS (TLS, with a self-signed certificate it makes for "localhost") */ tls?: boolean } = {}): Promise<IppPrinter> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carrel-ipp-'));
  const spoolDir = path.join(dir, 'spool');
  mkdirSync(spoolDir);
  const socket = path.join(dir, 'dbus.sock');
  const delayFile = path.join(dir, 'processing-seconds');
  writeFileSync(delayFile, String(opts.processingSeconds ?? 0));
  writeFileSync(path.join(dir, 'dbus.conf'), DBUS_CONF(socket));
  writeFileSync(path.join(dir, 'avahi.conf'), AVAHI_CONF);
  const command = path.join(dir, 'print.sh');
  writeFileSync(command, `#!/bin/sh\nsleep "$(cat '${delayFile}')"\n`);
  chmodSync(command, 0o755);
  const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${socket}` };
  const logs: Record<string, string> = { dbus: '', avahi: '', ippeveprinter: '' };
  const children: ChildProcess[] = [];
  const started = (name: string, child: ChildProcess) => {
    children.push(child);
    child.stdout?.on('data', (d: Buffer) => (logs[name] += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (logs[name] += d.toString()));
    return child;
  };
  const allLogs = () => Object.entries(logs).map(([k, v]) => `--- ${k}\n${v.slice(-2000)}`).join('\n');
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    started('dbus', spawn('dbus-daemon', ['--config-file', path.join(dir, 'dbus.conf'), '--nofork', '--nopidfile'], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    await waitFor('dbus-daemon', () => existsSync(socket), 5000, allLogs);
    // a private /run/avahi-daemon: avahi keeps its pid file there and refuses to start beside another
    const avahiCmd = `mkdir -p /run/avahi-daemon && mount -t tmpfs tmpfs /run/avahi-daemon && exec /usr/sbin/avahi-daemon -f '${path.join(dir, 'avahi.conf')}' --no-drop-root --no-chroot --no-rlimits`;
    started('avahi', spawn('unshare', ['-m', 'sh', '-c', avahiCmd], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    await waitFor('avahi-daemon', () => logs.avahi!.includes('Server startup complete'), 10_000, allLogs);
    const port = await freePort();
    const name = opts.name ?? 'Carrel Test Printer';
    const keys = path.join(dir, 'keys');
    if (opts.tls) mkdirSync(keys);
    const tlsArgs = opts.tls ? ['-K', keys] : [];
    started('ippeveprinter', spawn(IPPEVEPRINTER, ['-r', 'off', '-p', String(port), '-n', 'localhost', ...tlsArgs, '-f', opts.formats ?? 'application/pdf', '-k', '-c', command, '-d', spoolDir, name], { env, stdio: ['ignore', 'pipe', 'pipe'] }));
    await waitFor('ippeveprinter', () => portOpen(port), 10_000, allLogs);
    return {
      uri: `ipp://127.0.0.1:${port}/ipp/print`,
      port,
      ippsUri: opts.tls ? `ipps://localhost:${port}/ipp/print` : null,
      certificateFile: () => {
        const crt = opts.tls && existsSync(keys) ? readdirSync(keys).find((f) => f.endsWith('.crt')) : undefined;
        return crt ? path.join(keys, crt) : null;
      },
      spoolDir,
      setProcessingSeconds: (s) => writeFileSync(delayFile, String(s)),
      spooled: () =>
        readdirSync(spoolDir)
          .filter((f) => f.endsWith('.pdf'))
          .sort((a, b) => parseInt(a, 10) - parseInt(b, 10))
          .map((f) => readFileSync(path.join(spoolDir, f))),
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
