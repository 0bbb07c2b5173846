import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { MarcImportService, resolveItemMapping } from '@carrel/catalog';
import { PatronsService, type CsvDateFormat } from '@carrel/patrons';
import { withApp } from '../context.js';
import { progress } from '../progress.js';

/** Exit status when the import ran but rejected some rows or records: scripts can tell partial loads apart. */
export const EXIT_SOME_REJECTED = 3;

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function writeReport(file: string | undefined, report: unknown): void {
  if (file) writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** A quick count for the progress bar; the reader does the real work. */
export function estimateMarcRecords(data: Buffer): number {
  const head = data.subarray(0, 512).toString('latin1');
  if (/<(?:[\w-]+:)?(?:collection|record)\b/.test(head) || head.trimStart().startsWith('<?xml')) {
    return (data.toString('latin1').match(/<(?:[\w-]+:)?record[\s>]/g) ?? []).length;
  }
  let n = 0;
  for (let i = data.indexOf(0x1d); i !== -1; i = data.indexOf(0x1d, i + 1)) n++;
  return n;
}

export function registerImportCommands(program: Command): void {
  const imp = program.command('import').description("load a library's own data: patrons (Koha CSV) and bibliographic records with items (MARC)");

  imp
    .command('patrons')
    .description("load patrons from a Koha patron-import CSV (cardnumber, surname, firstname, categorycode, branchcode, email, dateexpiry, …); upsert by cardnumber")
    .argument('<file>', 'CSV file, header row first')
    .option('--create-missing', 'create branches and patron categories the file names but Carrel does not have, and list them')
    .option('--date-format <format>', 'dates in the file: iso (YYYY-MM-DD), us (MM/DD/YYYY) or metric (DD/MM/YYYY)', parseDateFormat, 'iso')
    .option('--report <file>', 'also write the full report, every rejected row with its reason, as JSON')
    .action(async (file: string, opts: { createMissing?: boolean; dateFormat: CsvDateFormat; report?: string }) => {
      const data = readInput(file);
      const report = await withApp(async (get) => {
        const bar = progress('patrons', 0);
        let barTotal = 0;
        const r = await get(PatronsService).importKohaCsv(data, {
          createMissing: opts.createMissing,
          dateFormat: opts.dateFormat,
          onProgress: (done, total) => {
            barTotal = total;
            bar.update(done);
          },
        });
        bar.stop();
        void barTotal;
        return r;
      });
      console.log(`${file}: ${report.total} rows: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected.length} rejected`);
      for (const w of report.warnings) console.log(`  warning: ${w}`);
      for (const c of report.createdCodes) console.log(`  created ${c.kind} ${c.code}`);
      for (const r of report.rejected) console.log(`  line ${r.line}${r.barcode ? ` (${r.barcode})` : ''}: ${r.reason}`);
      writeReport(opts.report, report);
      if (report.rejected.length) process.exitCode = EXIT_SOME_REJECTED;
    });

  imp
    .command('marc')
    .description('load bibliographic records with their items from an ILS export: ISO 2709 or MARCXML, UTF-8 or MARC-8; items from 952 (Koha) or 852 (MARC holdings)')
    .argument('<file>', 'MARC file')
    .option('--format <format>', 'iso2709, marcxml or auto', 'auto')
    .option('--items <mapping>', 'item field mapping: koha-952, marc-852 or a JSON object (default: the import.itemMapping setting)')
    .option('--create-missing', 'create branches, shelving locations and item types the records name but Carrel does not have, and list them')
    .option('--report <file>', 'also write the full report, every rejected record with its reason, as JSON')
    .action(async (file: string, opts: { format: string; items?: string; createMissing?: boolean; report?: string }) => {
      if (!['auto', 'iso2709', 'marcxml'].includes(opts.format)) throw new InvalidArgumentError('--format must be iso2709, marcxml or auto');
      const data = readInput(file);
      const itemMapping = opts.items ? resolveItemMapping(opts.items.trim().startsWith('{') ? JSON.parse(opts.items) : opts.items) : undefined;
      const total = estimateMarcRecords(data);
      const report = await withApp(async (get) => {
        const bar = progress('records', total);
        const r = await get(MarcImportService).importFile(data, {
          createMissing: opts.createMissing,
          format: opts.format as 'auto',
          itemMapping,
          source: file,
          onProgress: (d) => bar.update(d),
        });
        bar.stop();
        return r;
      });
      const { records: rec, items } = report;
      console.log(`${file}: ${rec.seen} records: ${rec.created} created, ${rec.updated} updated, ${rec.unchanged} unchanged, ${report.rejected.length} rejected`);
      console.log(`items: ${items.created} created, ${items.updated} updated, ${items.unchanged} unchanged`);
      for (const c of report.createdCodes) console.log(`  created ${c.kind} ${c.code}`);
      for (const r of report.rejected) console.log(`  record ${r.record}${r.offset >= 0 ? ` (byte ${r.offset})` : ''}: ${r.reason}`);
      if (report.warnings.length) console.log(`  ${report.warnings.length} warnings (repaired or ignored data)${opts.report ? '' : '; --report FILE lists them'}`);
      writeReport(opts.report, report);
      if (report.rejected.length) process.exitCode = EXIT_SOME_REJECTED;
    });
}

function parseDateFormat(v: string): CsvDateFormat {
  if (v !== 'iso' && v !== 'us' && v !== 'metric') throw new InvalidArgumentError('use iso, us or metric');
  return v;
}
