import { HttpException } from '@nestjs/common';
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { PredictionJob, previewIssues } from '@carrel/serials';
import { withApp } from '../context.js';

/** Exit status of a pattern or issue that cannot be predicted from (bad input, not a failure of Carrel). */
export const EXIT_BAD_PATTERN = 2;

function countOption(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('a whole number of issues, 1 or more');
  return n;
}

/** An HttpException's own message (the service's 400 text), other errors as they are. */
function messageOf(e: unknown): string {
  if (e instanceof HttpException) {
    const body = e.getResponse();
    const m = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : body;
    return Array.isArray(m) ? m.join('; ') : String(m);
  }
  return (e as Error).message;
}

export function registerSerialsCommands(program: Command): void {
  const serials = program.command('serials').description('serials: try a publication pattern, expect issues ahead');

  serials
    .command('predict')
    .description('print the issues after --last under --pattern (label and publication date); nothing is stored')
    .requiredOption('--pattern <853>', 'the caption field, e.g. \'853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01\'')
    .requiredOption('--last <863>', 'the last issue, e.g. \'863 41 $81.1$a1$b6$i1990$j06\'')
    .option('--count <n>', 'how many issues (default 12)', countOption)
    .option('--until <date>', 'up to this publication date, YYYY-MM-DD')
    // a missing or malformed option is the same kind of mistake as a bad pattern: one exit status for both
    .exitOverride((err) => {
      throw err.exitCode === 0 ? err : new CommanderError(EXIT_BAD_PATTERN, err.code, err.message);
    })
    .action((o: { pattern: string; last: string; count?: number; until?: string }) => {
      try {
        for (const issue of previewIssues(o.pattern, o.last, { count: o.count, until: o.until })) {
          console.log(`${issue.label}\t${issue.publicationDate}${issue.combined ? '\tcombined' : ''}`);
        }
      } catch (e) {
        process.stderr.write(`carrel serials predict: ${messageOf(e)}\n`);
        process.exitCode = EXIT_BAD_PATTERN;
      }
    });

  serials
    .command('expect')
    .description('expect every active subscription\'s issues to the horizon now (what the nightly job does)')
    .action(async () => {
      const report = await withApp((get) => get(PredictionJob).run(new Date()));
      console.log(`${report.created} issues expected in ${report.subscriptions} subscriptions (today ${report.today})`);
      for (const f of report.failed) console.log(`subscription ${f.subscriptionId}: FAILED: ${f.error}`);
      if (report.failed.length > 0) process.exitCode = 1;
    });
}
