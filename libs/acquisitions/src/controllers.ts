import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Patch, Post, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateConnectorDto, CreateContactDto, CreateVendorDto, IntakeFileQueryDto, UpdateConnectorDto, UpdateVendorDto } from './dto.js';
import { IntakeService } from './intake.service.js';
import { SftpPollerService } from './sftp-poller.service.js';
import { VendorsService } from './vendors.service.js';

@ApiTags('acquisitions')
@ApiBearerAuth()
@Controller('api/v1/acquisitions/vendors')
export class VendorsController {
  constructor(private readonly vendors: VendorsService, private readonly poller: SftpPollerService) {}

  @Get() @ApiOperation({ summary: 'Vendors with their SFTP connectors' })
  list() {
    return this.vendors.list();
  }
  @Get(':code') get(@Param('code') code: string) {
    return this.vendors.get(code);
  }
  @Post() create(@Body() body: CreateVendorDto) {
    return this.vendors.create(body);
  }
  @Patch(':code') update(@Param('code') code: string, @Body() body: UpdateVendorDto) {
    return this.vendors.update(code, body);
  }
  @Post(':code/contacts') addContact(@Param('code') code: string, @Body() body: CreateContactDto) {
    return this.vendors.addContact(code, body);
  }
  @Post(':code/connectors') @ApiOperation({ summary: 'Add an SFTP connector (secrets are never stored: a key file path or an environment variable name)' })
  addConnector(@Param('code') code: string, @Body() body: CreateConnectorDto) {
    return this.vendors.addConnector(code, body);
  }
  @Post(':code/poll') @HttpCode(200) @ApiOperation({ summary: 'Poll every enabled connector of the vendor now' })
  poll(@Param('code') code: string) {
    return this.poller.pollVendor(code);
  }
}

@ApiTags('acquisitions')
@ApiBearerAuth()
@Controller('api/v1/acquisitions/connectors')
export class ConnectorsController {
  constructor(private readonly vendors: VendorsService) {}

  @Get(':id') get(@Param('id', ParseIntPipe) id: number) {
    return this.vendors.connector(id);
  }
  @Patch(':id') update(@Param('id', ParseIntPipe) id: number, @Body() body: UpdateConnectorDto) {
    return this.vendors.updateConnector(id, body);
  }
  @Get(':id/events') @ApiOperation({ summary: 'Polls, downloads and errors of the connector, newest first' })
  events(@Param('id', ParseIntPipe) id: number) {
    return this.vendors.events(id);
  }
}

@ApiTags('acquisitions')
@ApiBearerAuth()
@Controller('api/v1/acquisitions/intake-files')
export class IntakeFilesController {
  constructor(private readonly intake: IntakeService) {}

  @Get() @ApiOperation({ summary: 'The intake ledger: files received from vendors, newest first' })
  list(@Query() q: IntakeFileQueryDto) {
    return this.intake.list({ vendor: q.vendor, state: q.state, kind: q.kind, limit: q.take, offset: q.skip });
  }
  @Get(':id') @ApiOperation({ summary: 'One file with every arrival of its content' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.intake.get(id);
  }
  @Get(':id/content') @ApiOperation({ summary: 'The stored bytes exactly as received (quarantined files too)' })
  async content(@Param('id', ParseIntPipe) id: number) {
    const { file, stream } = await this.intake.openStored(id);
    const safeName = file.originalName.replace(/[^A-Za-z0-9._-]/g, '_');
    return new StreamableFile(stream, { type: 'application/octet-stream', length: file.size, disposition: `attachment; filename="${safeName}"` });
  }
  @Post(':id/reprocess') @HttpCode(200) @ApiOperation({ summary: 'Process a quarantined or stuck file again' })
  reprocess(@Param('id', ParseIntPipe) id: number) {
    return this.intake.reprocess(id);
  }
}
