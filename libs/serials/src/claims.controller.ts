import { Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, Post, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { BATCH_STATUSES, CLAIM_CHANNELS, ClaimsService, type ClaimChannel } from './claims.service.js';

export class BuildBatchesDto {
  @ApiPropertyOptional({ description: 'only this vendor (its code); default every vendor with claims due' }) @IsOptional() @IsString() @MaxLength(40) vendor?: string;
  @ApiPropertyOptional({ enum: CLAIM_CHANNELS, description: 'how the batch will go: email (default), or csv / edifact for staff to download and send' })
  @IsOptional() @IsIn(CLAIM_CHANNELS) channel?: ClaimChannel;
}

export class BatchQueryDto {
  @ApiPropertyOptional({ enum: BATCH_STATUSES }) @IsOptional() @IsIn(BATCH_STATUSES) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) vendor?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(0) skip?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) take?: number;
}

export class LateRunDto {
  @ApiPropertyOptional({ description: 'also send the claims of vendors set to autoSendClaims, as the nightly job does' }) @IsOptional() @IsBoolean() autoSend?: boolean;
}

type Headers = { setHeader(name: string, value: string): void };
const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

/** Claims for late serial issues: batches per vendor, reviewed, then sent or downloaded. */
@ApiTags('serials')
@ApiBearerAuth()
@Controller('api/v1/serials/claims')
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Post('late') @HttpCode(200) @ApiOperation({ summary: 'Mark overdue issues late now (the nightly job does this); with autoSend, send the claims of auto-sending vendors too' })
  late(@Body() body: LateRunDto) {
    const now = new Date();
    return body.autoSend ? this.claims.nightly(now) : this.claims.markLate(this.claims.today(now));
  }
  @Post('batches') @ApiOperation({ summary: 'Gather the claims due today into one draft batch per vendor (no_contact for a vendor with no claims address)' })
  build(@Body() body: BuildBatchesDto) {
    return this.claims.buildBatches({ vendorCode: body.vendor, channel: body.channel }, this.claims.today(new Date()));
  }
  @Get('batches') @ApiOperation({ summary: 'Claim batches, newest first' })
  list(@Query() q: BatchQueryDto) {
    return this.claims.list({ status: q.status, vendorCode: q.vendor, skip: q.skip, take: q.take });
  }
  @Get('batches/:id') @ApiOperation({ summary: 'One batch with its claims' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.claims.get(id);
  }
  @Get('batches/:id/letter') @ApiOperation({ summary: 'The claim letter as it will go to the vendor (subject, text, address)' })
  letter(@Param('id', ParseIntPipe) id: number) {
    return this.claims.preview(id, new Date());
  }
  @Post('batches/:id/send') @HttpCode(200) @ApiOperation({ summary: 'Send the batch: one email to the vendor\'s claims address (a CSV or EDIFACT batch is marked sent)' })
  send(@Param('id', ParseIntPipe) id: number) {
    return this.claims.send(id, new Date());
  }
  @Get('batches/:id/claims.csv') @Header('Content-Type', 'text/csv; charset=utf-8') @ApiOperation({ summary: 'The batch\'s open claims as CSV' })
  async csv(@Param('id', ParseIntPipe) id: number, @Res({ passthrough: true }) res: Headers) {
    const { filename, content } = await this.claims.csv(id, new Date());
    res.setHeader('Content-Disposition', `attachment; filename="${safeName(filename)}"`);
    return content;
  }
  @Get('batches/:id/ostenq.edi') @ApiOperation({ summary: 'The batch\'s open claims as an EDIFACT OSTENQ (D96A, ISO 8859-1)' })
  async ostenq(@Param('id', ParseIntPipe) id: number) {
    const { filename, content } = await this.claims.ostenq(id, new Date());
    return new StreamableFile(content, { type: 'application/edifact; charset=iso-8859-1', disposition: `attachment; filename="${safeName(filename)}"` });
  }
}
