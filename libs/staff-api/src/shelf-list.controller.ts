import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ShelfListService } from '@carrel/catalog';
import { PageQuery } from './dto.js';
import { renderShelfListPdf } from './shelf-list.pdf.js';

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;

/** At most this many items in one shelf-list PDF (about 600 pages); narrower ranges beyond that. */
export const SHELF_LIST_PDF_MAX = 20_000;

export class ShelfListQueryDto extends PageQuery {
  @ApiProperty({ example: 'CPL', description: 'holding branch code' }) @Matches(CODE, { message: 'branch must be a branch code' }) branch!: string;
  @ApiPropertyOptional({ example: 'ADULT', description: 'shelving location code at the branch' }) @IsOptional() @Matches(CODE, { message: 'location must be a shelving location code' }) location?: string;
  @ApiPropertyOptional({ example: 'QA76', description: 'first call number, inclusive' }) @IsOptional() @IsString() @MaxLength(200) from?: string;
  @ApiPropertyOptional({ example: 'QA77', description: 'last call number; everything filed under it is included (QA77 takes QA77.5 and QA77 .B2 v.3)' })
  @IsOptional() @IsString() @MaxLength(200) to?: string;
  @ApiPropertyOptional({ enum: ['lc', 'dewey', 'generic'], description: 'how to read from and to; detected when absent' }) @IsOptional() @IsIn(['lc', 'dewey', 'generic']) scheme?: 'lc' | 'dewey' | 'generic';
  @ApiPropertyOptional({ enum: ['json', 'pdf'], default: 'json' }) @IsOptional() @IsIn(['json', 'pdf']) format?: 'json' | 'pdf';
}

/**
 * Shelf lists for shelf reading. Declared before ItemsController in the module, so that
 * "shelf-list" is not taken for an item barcode by GET /api/v1/items/:barcode.
 */
@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1/items')
export class ShelfListController {
  constructor(private readonly shelfList: ShelfListService) {}

  @Get('shelf-list')
  @ApiOperation({ summary: 'Items of a branch (and location) between two call numbers, in shelf order; paginated JSON, or the whole range as a PDF with format=pdf' })
  @ApiProduces('application/json', 'application/pdf')
  async list(@Query() q: ShelfListQueryDto) {
    if (q.format === 'pdf') return this.pdf(q);
    return this.shelfList.list(q);
  }

  @Get('shelf-list.pdf')
  @ApiOperation({ summary: 'The shelf list as a PDF (same query as shelf-list; pagination does not apply)' })
  @ApiProduces('application/pdf')
  pdfRoute(@Query() q: ShelfListQueryDto) {
    return this.pdf(q);
  }

  private async pdf(q: ShelfListQueryDto): Promise<StreamableFile> {
    const { items } = await this.shelfList.all(q, SHELF_LIST_PDF_MAX);
    const pdf = await renderShelfListPdf({ branch: q.branch, location: q.location, from: q.from, to: q.to, items, printedAt: new Date() });
    const name = ['shelf-list', q.branch, q.location].filter(Boolean).join('-').replace(/[^A-Za-z0-9_.-]/g, '_');
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${name}.pdf"`, length: pdf.length });
  }
}
