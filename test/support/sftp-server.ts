import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

/**
 * A real OpenSSH SFTP server on 127.0.0.1 for the acquisitions tests: Debian's /usr/sbin/sshd on a free
 * high port, a throwaway host key and client key, chrooted to a temporary folder (the vendor's "server
 * root"), internal-sftp only. Runs as root (as CI and these machines do): sshd chroots only then, and only
 * into a folder whose every parent is root's and writable by no one else, hence /run rather than /tmp.
 */
export const SSHD = '/usr/sbin/sshd';
const CHROOT_BASE = '/run/carrel-test-sftp';

export interface SftpServer {
  host: string;
  port: number;
  username: string;
  /** the folder the client sees as "/" */
  root: string;
  /** the client's private key file (OpenSSH format) */
  clientKeyPath: string;
  /** the server's public host key, "ssh-ed25519 AAAA…" */
  hostPublicKey: string;
  /** a file in the vendor's folder (path as the client sees it) */
  put(remotePath: string, content: string | Buffer, mtime?: Date): void;
  remoteExists(remotePath: string): boolean;
  list(remoteFolder: string): string[];
  /** kills the listener and every session it forked: in-flight transfers are cut */
  kill(): void;
  start(): Promise<void>;
  /** a fresh host key: the server now presents a different key from the trusted one */
  changeHostKey(): Promise<void>;
  stop(): Promise<void>;
  /** stops it and removes its folder */
  dispose(): Promise<void>;
}

export function haveSshd(): boolean {
  return existsSync(SSHD);
}


function keygen(file: string): void {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'carrel-test', '-f', file], { stdio: 'ignore' });
}

/** pids of every process descended from pid (read from /proc, by id) */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

export async function startSftpServer(): Promise<SftpServer> {
  if (!haveSshd()) throw new Error(`${SSHD} not found: install Debian's openssh-server (apt-get install -y openssh-server); .ci/run does`);
  if (process.getuid?.() !== 0) throw new Error('the test SFTP server chroots its user, which needs root (as CI and these machines run)');
  // sshd refuses a chroot below a group- or world-writable folder such as /tmp: /run is root's alone
  mkdirSync(CHROOT_BASE, { recursive: true, mode: 0o755 });
  const dir = mkdtempSync(path.join(CHROOT_BASE, 'sshd-'));
  chmodSync(dir, 0o755);
  const root = path.join(dir, 'root');
  mkdirSync(root, { mode: 0o755 });
  // the chroot itself must not be writable by the user; the vendor's folders inside it are
  mkdirSync(path.join(root, 'out'), { mode: 0o755 });
  mkdirSync(path.join(root, 'done'), { mode: 0o755 });
  const hostKey = path.join(dir, 'host_ed25519');
  const clientKeyPath = path.join(dir, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKeyPath);
  const authorized = path.join(dir, 'authorized_keys');
  writeFileSync(authorized, readFileSync(`${clientKeyPath}.pub`), { mode: 0o600 });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const port = await freePort();
  const username = os.userInfo().username;
  const config = path.join(dir, 'sshd_config');
  writeFileSync(config, [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${path.join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${authorized}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    `AllowUsers ${username}`,
    `ChrootDirectory ${root}`,
    'ForceCommand internal-sftp',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    'MaxStartups 50',
    '',
  ].join('\n'));

  let proc: ChildProcess | undefined;
  const local = (remotePath: string) => path.join(root, remotePath.replace(/^\/+/, ''));

  const server: SftpServer = {
    host: '127.0.0.1',
    port,
    username,
    root,
    clientKeyPath,
    get hostPublicKey() {
      return readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    },
    put(remotePath, content, mtime) {
      const f = local(remotePath);
      mkdirSync(path.dirname(f), { recursive: true });
      writeFileSync(f, content);
      if (mtime) utimesSync(f, mtime, mtime);
    },
    remoteExists: (remotePath) => existsSync(local(remotePath)),
    list: (folder) => readdirSync(local(folder)).sort(),
    kill() {
      if (!proc?.pid || proc.exitCode !== null || proc.signalCode !== null) return;
      const pids = [...descendants(proc.pid), proc.pid];
      for (const p of pids) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    async start() {
      const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
      proc = child;
      let stderr = '';
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      // ready once the port accepts connections
      const deadline = Date.now() + 10_000;
      for (;;) {
        if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${stderr}`);
        const ok = await new Promise<boolean>((resolve) => {
          const s = net.connect(port, '127.0.0.1', () => {
            s.destroy();
            resolve(true);
          });
          s.on('error', () => resolve(false));
        });
        if (ok) return;
        if (Date.now() > deadline) throw new Error(`sshd did not start listening on ${port}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async changeHostKey() {
      await server.stop();
      keygen(hostKey);
      await server.start();
    },
    async stop() {
      const child = proc;
      proc = undefined;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      proc = child;
      server.kill();
      proc = undefined;
      await exited;
    },
    async dispose() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
