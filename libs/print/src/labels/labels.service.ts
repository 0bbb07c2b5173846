import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { CallNumberScheme } from '@carrel/callnumber';
import { ShelfListService } from '@carrel/catalog';
import { CARREL_SETTINGS, type CarrelSettings } from '@carrel/config';
import { DbService, Prisma } from '@carrel/db';
import type { LabelContent } from './render.js';
import { labelTemplate, type LabelTemplate } from './templates.js';

export interface LabelLines {
  /** the item's shelving location code as a line above the call number */
  locationPrefix?: boolean;
  /** the item's holding branch code as a line under it */
  branchLine?: boolean;
}

export interface ShelfRange {
  branch: string;
  location?: string | null;
  from?: string | null;
  to?: string | null;
}

const SCHEMES: readonly string[] = ['lc', 'dewey', 'generic'];
const itemSelect = { barcode: true, callNumber: true, callNumberScheme: true, branch: { select: { code: true } }, location: { select: { code: true } } } as const;
type LabelItem = Prisma.ItemGetPayload<{ select: typeof itemSelect }>;

/** Most labels one batch makes: a whole branch at once is a mistake, and 50,000 labels are 1,667 sheets already. */
export const MAX_LABELS = 50_000;

/** Label batches from the catalog: the items by barcode or a shelf-list range, with this site's templates. */
@Injectable()
export class LabelsService {
  constructor(
    private readonly db: DbService,
    private readonly shelfList: ShelfListService,
    @Inject(CARREL_SETTINGS) private readonly settings: CarrelSettings,
  ) {}

  /** a built-in template or one of print.labelTemplates */
  template(name: string): LabelTemplate {
    return labelTemplate(name, this.settings['print.labelTemplates']);
  }

  get minFontSize(): number {
    return this.settings['print.labelMinFontSize'];
  }

  private content(i: LabelItem, lines: LabelLines): LabelContent {
    return {
      barcode: i.barcode,
      callNumber: i.callNumber,
      scheme: i.callNumberScheme && SCHEMES.includes(i.callNumberScheme) ? (i.callNumberScheme as CallNumberScheme) : null,
      prefix: lines.locationPrefix ? (i.location?.code ?? null) : null,
      branch: lines.branchLine ? i.branch.code : null,
    };
  }

  /**
   * Labels for these barcodes, in the order given (a barcode given twice prints twice: a second copy of
   * a worn label). Barcodes the catalog does not hold come back in `unknown`, for the caller to report.
   */
  async byBarcodes(barcodes: readonly string[], lines: LabelLines = {}): Promise<{ labels: LabelContent[]; unknown: string[] }> {
    if (barcodes.length > MAX_LABELS) throw new BadRequestException(`${barcodes.length} barcodes are more than ${MAX_LABELS} labels for one batch`);
    const found = new Map<string, LabelItem>();
    const distinct = [...new Set(barcodes)];
    for (let i = 0; i < distinct.length; i += 500) {
      for (const item of await this.db.prisma.item.findMany({ where: { barcode: { in: distinct.slice(i, i + 500) } }, select: itemSelect })) found.set(item.barcode, item);
    }
    const labels: LabelContent[] = [];
    const unknown: string[] = [];
    for (const b of barcodes) {
      const item = found.get(b);
      if (item) labels.push(this.content(item, lines));
      else unknown.push(b);
    }
    return { labels, unknown };
  }

  /**
   * Labels for a shelf-list range, in shelf order: the catalog's own shelf list (the same branch, location
   * and range rules, and refusals, as GET /api/v1/items/shelf-list), then the label data of those items.
   */
  async byShelfRange(range: ShelfRange, lines: LabelLines = {}): Promise<LabelContent[]> {
    const { items } = await this.shelfList.all({ branch: range.branch, location: range.location ?? undefined, from: range.from ?? undefined, to: range.to ?? undefined }, MAX_LABELS);
    return (await this.byBarcodes(items.map((i) => i.barcode), lines)).labels;
  }
}

