import { BadRequestException, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NoticesService } from './notices.service.js';

@ApiTags('print')
@ApiBearerAuth()
@Controller('api/v1/notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get() @ApiOperation({ summary: 'Patron notices and claim letters, newest first (filter by status, type, patron card; limit up to 1000)' })
  list(@Query('status') status?: string, @Query('type') type?: string, @Query('patron') patron?: string, @Query('limit') limit?: string) {
    if (limit !== undefined && !/^\d+$/.test(limit)) throw new BadRequestException(`limit must be a whole number from 1 to 1000, got ${JSON.stringify(limit)}`);
    return this.notices.list({ status: status || undefined, type: type || undefined, patron: patron || undefined, limit: limit === undefined ? undefined : Number(limit) });
  }

  @Get(':id') @ApiOperation({ summary: 'One notice: its text, channel, status and the loans, holds, fees or claims it tells of' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.notices.get(id);
  }

  @Post('run') @HttpCode(200) @ApiOperation({ summary: 'Generate the notices due now and deliver what is waiting (what the scheduled job does); a re-run sends nothing twice' })
  async run() {
    const { generated, delivered } = await this.notices.run(new Date());
    return {
      created: generated.created.length, alreadyRecorded: generated.alreadyRecorded, problems: generated.problems,
      emailed: delivered.emailed.length, failed: delivered.failed, printJobs: delivered.printed.map((p) => ({ printJobId: p.printJobId, notices: p.notices.length })),
    };
  }

  @Post('claim-letters/:batchId') @HttpCode(201) @ApiOperation({ summary: 'Print a serial claim batch as a letter to the vendor (once per batch), queued on the printer of the subscriptions’ branch' })
  claimLetter(@Param('batchId', ParseIntPipe) batchId: number) {
    return this.notices.claimLetter(batchId, new Date());
  }
}
