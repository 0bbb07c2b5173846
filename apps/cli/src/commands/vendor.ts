import { InvalidArgumentError, type Command } from 'commander';
import { INTAKE_KINDS, IntakeService, checkConnector, SftpPollerService, VendorsService, type ConnectorFolder, type IntakeOutcome, type PollReport } from '@carrel/acquisitions';
import { withApp } from '../context.js';
import { progress, type Progress } from '../progress.js';

/** Exit status when some files were quarantined (or a connector failed): scripts can tell partial intake apart. */
export const EXIT_SOME_QUARANTINED = 3;

/** "invoice:/outgoing:*.CEI,*.cei" -> one folder of a connector */
function folderOption(value: string, previous: ConnectorFolder[] = []): ConnectorFolder[] {
  const m = /^([a-z-]+):([^:]+):(.+)$/.exec(value);
  if (!m || !(INTAKE_KINDS as readonly string[]).includes(m[1]!)) {
    throw new InvalidArgumentError(`use KIND:FOLDER:PATTERN[,PATTERN…] with KIND one of ${INTAKE_KINDS.join(', ')}, e.g. invoice:/outgoing:*.CEI`);
  }
  return [...previous, { kind: m[1] as ConnectorFolder['kind'], path: m[2]!, patterns: m[3]!.split(',') }];
}

function outcomeLine(o: IntakeOutcome): string {
  const what = o.duplicate ? `duplicate of intake file ${o.fileId}, not processed again` : `${o.state} (${o.kind}), intake file ${o.fileId}`;
  return `${o.name}: ${what}${o.quarantineReason ? `: ${o.quarantineReason}` : ''}${o.warnings ? `, ${o.warnings} warning(s)` : ''}`;
}

export function registerVendorCommands(program: Command): void {
  const vendor = program.command('vendor').description('acquisitions vendors: add and list them, poll their SFTP servers, load files by hand');

  vendor
    .command('add')
    .description('add a vendor, and with --host an SFTP connector (host key required; secrets stay outside Carrel)')
    .argument('<code>', 'short code, e.g. BT')
    .argument('<name>', 'vendor name')
    .option('--san <san>', 'Standard Address Number')
    .option('--ean <ean>', 'EAN / GLN')
    .option('--currency <code>', 'ISO 4217 currency of orders and invoices')
    .option('--email <email>', 'vendor email')
    .option('--claims-email <email>', 'where claims go')
    .option('--host <host>', 'SFTP host')
    .option('--port <port>', 'SFTP port', (v) => Number(v))
    .option('--user <name>', 'SFTP user')
    .option('--key <file>', 'private key file on this machine')
    .option('--password-env <NAME>', 'environment variable holding the SFTP password')
    .option('--host-key <key>', 'the server\'s host key ("ssh-ed25519 AAAA…") or SHA256 fingerprint (ssh-keyscan / ssh-keygen -l)')
    .option('--folder <kind:folder:patterns>', 'a remote folder to read, repeatable (default: Koha\'s .CEI/.CEA/.CEQ/.mrc/.xml in the login folder)', folderOption)
    .option('--after <action>', 'after download: leave, rename (.CEI -> .EEI) or move', 'leave')
    .option('--move-to <folder>', 'remote folder for --after move')
    .option('--schedule <cron>', 'cron schedule of polls', '0 */30 * * * *')
    .action(async (code: string, name: string, o: Record<string, string | number | ConnectorFolder[] | undefined>) => {
      const connector = o.host ? {
        host: o.host as string, port: (o.port as number | undefined) ?? 22, username: (o.user as string | undefined) ?? '', privateKeyPath: (o.key as string | undefined) ?? null,
        passwordEnv: (o.passwordEnv as string | undefined) ?? null, hostKey: (o.hostKey as string | undefined) ?? '',
        ...(o.folder ? { folders: o.folder as ConnectorFolder[] } : {}),
        afterDownload: o.after as string, moveTo: (o.moveTo as string | undefined) ?? null, schedule: o.schedule as string,
      } : undefined;
      // a wrong connector is refused before the vendor is written, so the command can simply be run again
      if (connector) checkConnector(connector);
      await withApp(async (get) => {
        const vendors = get(VendorsService);
        const v = await vendors.create({
          code, name, san: o.san as string | undefined, ean: o.ean as string | undefined, email: o.email as string | undefined,
          claimsEmail: o.claimsEmail as string | undefined, ...(o.currency ? { currency: o.currency as string } : {}),
        });
        console.log(`vendor ${v.code} (${v.name}) added`);
        if (connector) {
          const c = await vendors.addConnector(code, connector);
          console.log(`connector ${c.id}: ${c.username}@${c.host}:${c.port}, trusting ${c.hostKeyFingerprint}, ${c.afterDownload} after download, polled on "${c.schedule}"`);
        }
      });
    });

  vendor
    .command('list')
    .description('vendors and the state of their connectors')
    .action(async () => {
      const rows = await withApp((get) => get(VendorsService).list());
      for (const v of rows) {
        console.log(`${v.code}\t${v.name}${v.active ? '' : '\t(inactive)'}`);
        for (const c of v.connectors ?? []) {
          const state = c.consecutiveFailures > 0
            ? `FAILING x${c.consecutiveFailures} (${c.lastError}); next try ${c.nextRetryAt?.toISOString() ?? 'now'}`
            : `last success ${c.lastSuccessAt?.toISOString() ?? 'never'}`;
          console.log(`  connector ${c.id} ${c.name}: ${c.username}@${c.host}:${c.port}${c.enabled ? '' : ' (disabled)'}; ${state}`);
        }
      }
    });

  vendor
    .command('poll')
    .description('poll the vendor\'s SFTP connectors once now (back-off or not), showing each download')
    .argument('<vendor>', 'vendor code')
    .action(async (code: string) => {
      const reports: PollReport[] = await withApp(async (get) => {
        let bar: { name: string; p: Progress } | undefined;
        return get(SftpPollerService).pollVendor(code, {
          onProgress: (e) => {
            if (e.type === 'connecting') process.stderr.write(`connecting to ${e.connector}\n`);
            else if (e.type === 'listed') process.stderr.write(`${e.folder}: ${e.files} file(s), ${e.fresh} new\n`);
            else if (e.type === 'download') {
              if (bar?.name !== e.name) {
                bar?.p.stop();
                bar = { name: e.name, p: progress(e.name, e.size) };
              }
              bar.p.update(e.bytes);
            } else {
              bar?.p.stop();
              bar = undefined;
              if (e.type === 'file') console.log(outcomeLine(e.outcome));
              else console.log(`${e.name}: skipped: ${e.reason}`);
            }
          },
        });
      });
      if (reports.length === 0) console.log(`vendor ${code} has no enabled connector`);
      for (const r of reports) {
        console.log(r.ok
          ? `connector ${r.connectorId} (${r.connector}): ${r.listed} listed, ${r.files.length} fetched, ${r.alreadySeen} fetched before, ${r.resumed} resumed`
          : `connector ${r.connectorId} (${r.connector}) FAILED: ${r.errorKind}: ${r.error}`);
      }
      if (reports.some((r) => !r.ok || r.files.some((f) => f.state === 'quarantined'))) process.exitCode = EXIT_SOME_QUARANTINED;
    });

  vendor
    .command('load')
    .description('feed local files (say, an invoice that came by email) through the same intake as a poll')
    .argument('<vendor>', 'vendor code')
    .argument('<files...>', 'files to load')
    .action(async (code: string, files: string[]) => {
      const outcomes = await withApp(async (get) => {
        const intake = get(IntakeService);
        const out: IntakeOutcome[] = [];
        for (const f of files) {
          const o = await intake.loadLocalFile(code, f);
          console.log(outcomeLine(o));
          out.push(o);
        }
        return out;
      });
      if (outcomes.some((o) => o.state === 'quarantined')) process.exitCode = EXIT_SOME_QUARANTINED;
    });
}
