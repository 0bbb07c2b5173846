import { Body, Controller, Delete, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CatalogService, MarcImportService } from '@carrel/catalog';
import { LibraryService } from '@carrel/library';
import { PatronsService } from '@carrel/patrons';
import {
  BranchQuery, RecordXmlDto, CreateBranchDto, CreateItemDto, CreateLocationDto, CreatePatronDto, ItemQuery, PatronQuery, RecordQuery, UpdateBranchDto, UpdateItemDto, UpdatePatronDto,
} from './dto.js';

@ApiTags('branches')
@ApiBearerAuth()
@Controller('api/v1/branches')
export class BranchesController {
  constructor(private readonly library: LibraryService) {}

  @Get() @ApiOperation({ summary: 'Branches with their shelving locations' })
  list(@Query() q: BranchQuery) {
    return this.library.listBranches(q.q);
  }
  @Get(':code') get(@Param('code') code: string) {
    return this.library.getBranch(code);
  }
  @Post() create(@Body() body: CreateBranchDto) {
    return this.library.createBranch(body);
  }
  @Patch(':code') update(@Param('code') code: string, @Body() body: UpdateBranchDto) {
    return this.library.updateBranch(code, body);
  }
  @Delete(':code') @HttpCode(204) @ApiOperation({ summary: 'Delete a branch that has no patrons or items' })
  remove(@Param('code') code: string) {
    return this.library.deleteBranch(code);
  }
  @Post(':code/locations') addLocation(@Param('code') code: string, @Body() body: CreateLocationDto) {
    return this.library.addLocation(code, body);
  }
}

@ApiTags('codes')
@ApiBearerAuth()
@Controller('api/v1')
export class CodesController {
  constructor(private readonly library: LibraryService) {}
  @Get('item-types') itemTypes() {
    return this.library.listItemTypes();
  }
  @Get('patron-categories') patronCategories() {
    return this.library.listPatronCategories();
  }
}

@ApiTags('patrons')
@ApiBearerAuth()
@Controller('api/v1/patrons')
export class PatronsController {
  constructor(private readonly patrons: PatronsService) {}

  @Get() @ApiOperation({ summary: 'Search patrons' })
  search(@Query() q: PatronQuery) {
    return this.patrons.search(q);
  }
  @Get(':barcode') get(@Param('barcode') barcode: string) {
    return this.patrons.get(barcode);
  }
  @Post() create(@Body() body: CreatePatronDto) {
    return this.patrons.create(body);
  }
  @Patch(':barcode') update(@Param('barcode') barcode: string, @Body() body: UpdatePatronDto) {
    return this.patrons.update(barcode, body);
  }
  @Delete(':barcode') @HttpCode(204) remove(@Param('barcode') barcode: string) {
    return this.patrons.remove(barcode);
  }
}

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class RecordsController {
  constructor(
    private readonly catalog: CatalogService,
    private readonly marc: MarcImportService,
  ) {}

  @Post() @ApiOperation({ summary: 'Create a record from MARCXML (item fields in it are ignored)' })
  async create(@Body() body: RecordXmlDto) {
    return this.catalog.getRecord(await this.marc.saveRecordXml(body.marcxml));
  }
  @Put(':id') @ApiOperation({ summary: 'Replace a record with MARCXML; its items stay' })
  async replace(@Param('id', ParseIntPipe) id: number, @Body() body: RecordXmlDto) {
    return this.catalog.getRecord(await this.marc.saveRecordXml(body.marcxml, id));
  }

  @Get() @ApiOperation({ summary: 'Search bibliographic records' })
  search(@Query() q: RecordQuery) {
    return this.catalog.searchRecords(q);
  }
  @Get(':id') @ApiOperation({ summary: 'A record, decoded, with its items' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.catalog.getRecord(id);
  }
  @Get(':id/marc') @ApiOperation({ summary: 'The record exactly as received (ISO 2709 or MARCXML)' })
  async raw(@Param('id', ParseIntPipe) id: number) {
    const { format, bytes } = await this.catalog.getRecordRaw(id);
    return new StreamableFile(bytes, {
      type: format === 'marcxml' ? 'application/marcxml+xml' : 'application/marc',
      disposition: `attachment; filename="record-${id}.${format === 'marcxml' ? 'xml' : 'mrc'}"`,
    });
  }
  @Delete(':id') @HttpCode(204) @ApiOperation({ summary: 'Delete a record that has no items' })
  remove(@Param('id', ParseIntPipe) id: number) {
    return this.catalog.deleteRecord(id);
  }
}

@ApiTags('items')
@ApiBearerAuth()
@Controller('api/v1/items')
export class ItemsController {
  constructor(private readonly catalog: CatalogService) {}

  @Get() @ApiOperation({ summary: 'Search items, in shelf order' })
  search(@Query() q: ItemQuery) {
    return this.catalog.searchItems(q);
  }
  @Get(':barcode') get(@Param('barcode') barcode: string) {
    return this.catalog.getItem(barcode);
  }
  @Post() create(@Body() body: CreateItemDto) {
    return this.catalog.createItem(body);
  }
  @Patch(':barcode') update(@Param('barcode') barcode: string, @Body() body: UpdateItemDto) {
    return this.catalog.updateItem(barcode, body);
  }
  @Delete(':barcode') @HttpCode(204) remove(@Param('barcode') barcode: string) {
    return this.catalog.deleteItem(barcode);
  }
}


