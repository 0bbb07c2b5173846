import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadSettings, projectRoot } from '@carrel/config';
import { hashPin } from '@carrel/patrons';
import { importKohaSipConfig } from '@carrel/sip2-server';

export function registerSipCommands(program: Command): void {
  const sip = program.command('sip').description('SIP2 accounts for self-check kiosks and sorters');

  sip
    .command('import-koha-config')
    .description("turn Koha's SIPconfig.xml into Carrel's SIP2 accounts file (passwords hashed); lists what Carrel does not take over")
    .argument('<file>', 'SIPconfig.xml')
    .option('--out <file>', 'accounts file to write (default: the sip2.accountsFile setting)')
    .option('--force', 'overwrite an existing accounts file')
    .action(async (file: string, opts: { out?: string; force?: boolean }) => {
      const settings = loadSettings({ baseDir: projectRoot() });
      const out = opts.out ?? settings['sip2.accountsFile'];
      if (existsSync(out) && !opts.force) throw new Error(`${out} exists; use --force to overwrite it or --out to write elsewhere`);
      let xml: string;
      try {
        xml = readFileSync(file, 'utf8');
      } catch (e) {
        throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const { accountsJson, warnings } = await importKohaSipConfig(xml, { pinHashCost: settings['security.pinHashCost'] });
      writeFileSync(out, accountsJson, { mode: 0o600 });
      console.log(`${out}: ${(JSON.parse(accountsJson) as unknown[]).length} accounts written`);
      for (const w of warnings) console.log(`  note: ${w}`);
    });

  sip
    .command('hash-password')
    .description('print the passwordHash for an account in the SIP2 accounts file')
    .argument('<password>', 'the password the kiosk sends as CO')
    .action(async (password: string) => {
      const settings = loadSettings({ baseDir: projectRoot() });
      console.log(await hashPin(password, settings['security.pinHashCost']));
    });
}
