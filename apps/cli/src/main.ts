import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '@carrel/config';
import { registerCallNumberCommands } from './commands/callnumber.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDbCommands } from './commands/db.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerImportCommands } from './commands/import.js';
import { registerLabelsCommand } from './commands/labels.js';
import { registerSipCommands } from './commands/sip.js';
import { registerSerialsCommands } from './commands/serials.js';
import { registerTokenCommands } from './commands/token.js';
import { registerVendorCommands } from './commands/vendor.js';

const program = new Command();
program
  .name('carrel')
  .description('Carrel operators\' command: database, imports, demo data, staff tokens')
  .showHelpAfterError()
  .exitOverride();

registerDbCommands(program);
registerImportCommands(program);
registerDemoCommand(program);
registerTokenCommands(program);
registerSipCommands(program);
registerVendorCommands(program);
registerSerialsCommands(program);
registerLabelsCommand(program);
registerCallNumberCommands(program);
registerConfigCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode;
  } else if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`carrel: ${(err as Error).message}\n`);
    if (process.env.CARREL_DEBUG) process.stderr.write(`${(err as Error).stack}\n`);
    process.exitCode = 1;
  }
}

// Exit once the command is done: the migration engine leaves a timer (its PostgreSQL lock timeout)
// that would otherwise keep the process alive for ten more seconds. Writes to stdout and stderr on
// pipes and files are synchronous here, so nothing printed is lost.
process.exit(process.exitCode ?? 0);
