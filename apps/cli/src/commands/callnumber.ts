import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { callNumberSortKey, detectScheme, splitCallNumber, type CallNumberScheme } from '@carrel/callnumber';

/** Exit status for a call number or option that cannot be read (bad input, not a failure of Carrel). */
export const EXIT_BAD_CALL_NUMBER = 2;

const SCHEMES: CallNumberScheme[] = ['lc', 'dewey', 'generic'];

function schemeOption(value: string): CallNumberScheme {
  if (!SCHEMES.includes(value as CallNumberScheme)) throw new InvalidArgumentError(`--scheme must be one of ${SCHEMES.join(', ')}`);
  return value as CallNumberScheme;
}

function refuse(text: string): void {
  process.stderr.write(`carrel callnumber: "${text}" holds no call number\n`);
  process.exitCode = EXIT_BAD_CALL_NUMBER;
}

export function registerCallNumberCommands(program: Command): void {
  const cmd = program
    .command('callnumber')
    .description('show how a call number prints on a spine label and where it shelves (nothing is stored)');
  // a malformed option is the same kind of mistake as an unreadable call number: one exit status
  const badInput = (err: CommanderError) => {
    throw err.exitCode === 0 ? err : new CommanderError(EXIT_BAD_CALL_NUMBER, err.code, err.message);
  };

  cmd
    .command('split')
    .description('print the spine-label lines, top to bottom, one per line')
    .argument('<text...>', 'the call number (quoted or not: the words are joined with single spaces)')
    .option('--scheme <scheme>', 'lc, dewey or generic, as the record says (MARC 050 or 082); detected when absent', schemeOption)
    .option('--prefix <label>', 'a prefix kept apart from the call number (one line above)')
    .option('--suffix <label>', 'a suffix kept apart from the call number (one line below)')
    .exitOverride(badInput)
    .action((words: string[], o: { scheme?: CallNumberScheme; prefix?: string; suffix?: string }) => {
      const text = words.join(' ');
      const lines = splitCallNumber(text, o.scheme, { prefix: o.prefix, suffix: o.suffix });
      if (lines.length === 0) return refuse(text);
      process.stdout.write(lines.map((l) => `${l}\n`).join(''));
    });

  cmd
    .command('sortkey')
    .description('print the shelf-order sort key (byte order of keys is shelf order) and, with --verbose, the scheme read')
    .argument('<text...>', 'the call number (quoted or not)')
    .option('--scheme <scheme>', 'lc, dewey or generic; detected when absent', schemeOption)
    .option('--verbose', 'also print the scheme the call number was read in')
    .exitOverride(badInput)
    .action((words: string[], o: { scheme?: CallNumberScheme; verbose?: boolean }) => {
      const text = words.join(' ');
      const key = callNumberSortKey(text, o.scheme);
      if (key === '') return refuse(text);
      process.stdout.write(`${key}\n`);
      if (o.verbose) process.stdout.write(`scheme: ${o.scheme ?? detectScheme(text)}${o.scheme ? ' (named)' : ' (detected)'}\n`);
    });
}
