import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { HttpException } from '@nestjs/common';
import { CommanderError, InvalidArgumentError, type Command } from 'commander';
import { loadSettings, projectRoot } from '@carrel/config';
import { checkStart, choosePrinter, LabelConfigError, LABEL_LAYOUTS, LabelsService, labelTemplate, parsePrinters, PrinterConfigError, PrintQueueService, renderCalibration, renderLabels, SYMBOLOGIES, type LabelContent, type LabelLayout, type LabelProfile, type Symbology } from '@carrel/print';
import { withApp } from '../context.js';

/** A mistake in what was asked (options, template, range): nothing was made. */
export const EXIT_BAD_REQUEST = 2;
/** The PDF was made, but some barcodes were not found or some labels are flagged: read the report. */
export const EXIT_WITH_PROBLEMS = 3;

class BadRequest extends Error {}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a label position, 1 or more');
  return Number(value);
}

function oneOf<T extends string>(values: readonly T[], what: string) {
  return (value: string): T => {
    if (!values.includes(value as T)) throw new InvalidArgumentError(`${what} must be one of ${values.join(', ')}`);
    return value as T;
  };
}

function messageOf(e: unknown): string {
  if (e instanceof HttpException) {
    const body = e.getResponse();
    const m = typeof body === 'object' && body !== null && 'message' in body ? (body as { message: unknown }).message : body;
    return Array.isArray(m) ? m.join('; ') : String(m);
  }
  return (e as Error).message;
}

interface LabelsOptions {
  barcodes?: string;
  shelfList?: string;
  from?: string;
  to?: string;
  template: string;
  start?: number;
  layout: LabelLayout;
  symbology: Symbology;
  locationPrefix?: boolean;
  branchLine?: boolean;
  calibration?: boolean;
  profile?: string;
  out?: string;
  print?: string;
}

export function registerLabelsCommand(program: Command): void {
  program
    .command('labels')
    .description('make a PDF of spine or barcode labels for barcodes or a shelf-list range (and send it to a printer)')
    .option('--barcodes <B1,B2,…>', 'item barcodes, comma-separated, printed in this order')
    .option('--shelf-list <BRANCH[:LOCATION]>', 'every item of a branch (and shelving location) in shelf order; with --from and --to')
    .option('--from <call number>', 'first call number of the shelf-list range')
    .option('--to <call number>', 'last call number of the range (everything filed under it is included)')
    .requiredOption('--template <name>', 'label sheet: avery-5160, avery-5167, avery-l7160, demco-spine, gaylord-8511, avery-5460 or one of print.labelTemplates')
    .option('--start <n>', 'first free label on the first sheet (1 = top left, row by row)', positiveInt)
    .option('--layout <layout>', `${LABEL_LAYOUTS.join(', ')}`, oneOf(LABEL_LAYOUTS, '--layout'), 'spine')
    .option('--symbology <name>', `barcode symbology: ${SYMBOLOGIES.join(', ')}`, oneOf(SYMBOLOGIES, '--symbology'), 'codabar')
    .option('--location-prefix', 'print the shelving location code above the call number')
    .option('--branch-line', 'print the holding branch code under the call number')
    .option('--calibration', 'a calibration page for the template instead of labels (outlines and a crosshair on each label)')
    .option('--profile <printer>', 'apply that printer\'s labelProfile (offsets and creep) without printing')
    .option('--out <file.pdf>', 'where to write the PDF')
    .option('--print <printer>', 'send the PDF to this printer through the print queue (its labelProfile applies)')
    .exitOverride((err) => {
      throw err.exitCode === 0 ? err : new CommanderError(EXIT_BAD_REQUEST, err.code, err.message);
    })
    .action(async (o: LabelsOptions) => {
      try {
        await run(o);
      } catch (e) {
        const bad = e instanceof BadRequest || e instanceof LabelConfigError || e instanceof PrinterConfigError || (e instanceof HttpException && e.getStatus() < 500);
        process.stderr.write(`carrel labels: ${messageOf(e)}\n`);
        process.exitCode = bad ? EXIT_BAD_REQUEST : 1;
      }
    });
}

async function run(o: LabelsOptions): Promise<void> {
  if (!o.out && !o.print) throw new BadRequest('say where the labels go: --out FILE.pdf, --print PRINTER, or both');
  if (!o.calibration && !o.barcodes === !o.shelfList) throw new BadRequest('give either --barcodes or --shelf-list (one of them)');
  if (o.calibration && (o.barcodes || o.shelfList)) throw new BadRequest('--calibration prints the sheet\'s outlines, not items: leave out --barcodes and --shelf-list');
  if ((o.from || o.to) && !o.shelfList) throw new BadRequest('--from and --to go with --shelf-list');
  if (o.profile && o.print && o.profile !== o.print) throw new BadRequest(`--profile ${o.profile} and --print ${o.print} name different printers: the printer printing is the one whose profile applies`);

  // what can be checked from the configuration alone is checked before the database is opened
  const settings = loadSettings({ baseDir: projectRoot() });
  const template = labelTemplate(o.template, settings['print.labelTemplates']);
  if (o.start !== undefined) checkStart(template, o.start);
  const printerName = o.print ?? o.profile;
  const printer = printerName ? choosePrinter(parsePrinters(settings['print.printers']), printerName, settings['print.defaultPrinter']) : null;
  const profile: LabelProfile | undefined = printer?.labelProfile ?? undefined;
  const minFontSize = Math.min(settings['print.labelMinFontSize'], template.fontSize);

  if (o.calibration && !o.print) {
    writeFileSync(o.out!, await renderCalibration(template, profile));
    console.log(`calibration page for ${template.name}${printer ? ` with ${printer.name}'s profile` : ''}`);
    console.log(`written to ${o.out}`);
    return;
  }

  await withApp(async (get) => {
    const labelsService = get(LabelsService);
    let pdf: Buffer;
    let title: string;
    let problems = false;
    if (o.calibration) {
      pdf = await renderCalibration(template, profile);
      title = `Calibration page (${template.name})`;
      console.log(`calibration page for ${template.name}${printer ? ` with ${printer.name}'s profile` : ''}`);
    } else {
      const lines = { locationPrefix: !!o.locationPrefix, branchLine: !!o.branchLine };
      let labels: LabelContent[];
      if (o.barcodes) {
        const barcodes = o.barcodes.split(',').map((b) => b.trim()).filter((b) => b !== '');
        if (barcodes.length === 0) throw new BadRequest('--barcodes lists no barcode');
        const found = await labelsService.byBarcodes(barcodes, lines);
        for (const b of found.unknown) console.log(`barcode ${b}: not in the catalog, no label`);
        problems = found.unknown.length > 0;
        labels = found.labels;
      } else {
        const [branch, location, ...rest] = o.shelfList!.split(':');
        if (!branch || rest.length > 0) throw new BadRequest(`--shelf-list must be BRANCH or BRANCH:LOCATION, got "${o.shelfList}"`);
        labels = await labelsService.byShelfRange({ branch, location: location || null, from: o.from, to: o.to }, lines);
      }
      if (labels.length === 0) throw new BadRequest('no items to label');
      const r = await renderLabels({ template, profile, start: o.start, labels, layout: o.layout, symbology: o.symbology, minFontSize });
      for (const f of r.report) console.log(`label ${f.label} (sheet ${f.sheet}, position ${f.position}), barcode ${f.barcode}, ${f.line === 'barcode' ? 'barcode' : `line ${f.line}`} "${f.text}": ${f.problem}`);
      problems ||= r.report.length > 0;
      pdf = r.pdf;
      title = `${labels.length} ${o.layout} labels (${template.name})`;
      const flaggedLabels = new Set(r.report.map((f) => f.label)).size;
      console.log(`${labels.length} labels on ${r.sheets} sheet${r.sheets === 1 ? '' : 's'} of ${template.name} from position ${o.start ?? 1}${flaggedLabels ? `, ${flaggedLabels} flagged` : ''}`);
    }
    if (o.out) {
      writeFileSync(o.out, pdf);
      console.log(`written to ${o.out}`);
    }
    if (printer && o.print) {
      const job = await get(PrintQueueService).enqueue({ printer: printer.name, kind: o.calibration ? 'calibration' : 'labels', title, pdf, createdBy: `cli:${os.userInfo().username}` });
      console.log(`print job ${job.id} on ${printer.name}: ${job.status}`);
    }
    if (problems) process.exitCode = EXIT_WITH_PROBLEMS;
  });
}
