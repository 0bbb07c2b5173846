import type { Command } from 'commander';
import { DemoSeeder } from '@carrel/demo';
import { withApp } from '../context.js';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('seed the generated demo library (branches, 60 patrons, 550+ items with LC and Dewey call numbers); refuses a database that already holds data')
    .option('--seed <n>', 'generator seed', (v) => Number(v), 1)
    .option('--force', 'seed even when the database already holds data (existing barcodes are updated, not doubled)')
    .action(async (opts: { seed: number; force?: boolean }) => {
      const result = await withApp((get) => get(DemoSeeder).seed({ seed: opts.seed, force: opts.force }));
      if (!result) {
        console.log('the database already holds data; nothing seeded (use --force to load the demo library anyway)');
        return;
      }
      console.log(`demo library seeded: ${result.branches} branches, ${result.patrons} patrons, ${result.records} records, ${result.items} items`);
      console.log(`staff API token: ${result.token}`);
      console.log(`patron PINs: ${result.pinRule}`);
    });
}
