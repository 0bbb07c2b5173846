import { Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PrintQueueService } from './print-queue.service.js';
import { PrintersService } from './printers.service.js';

@ApiTags('print')
@ApiBearerAuth()
@Controller('api/v1/printers')
export class PrintersController {
  constructor(private readonly printers: PrintersService) {}

  @Get() @ApiOperation({ summary: 'Each configured printer: reachable, SNMP status, errors, supplies with levels, trays, alerts, queued and held jobs' })
  list() {
    return this.printers.list();
  }
}

@ApiTags('print')
@ApiBearerAuth()
@Controller('api/v1/print-jobs')
export class PrintJobsController {
  constructor(private readonly queue: PrintQueueService) {}

  @Get() @ApiOperation({ summary: 'Print jobs, newest first (filter by printer and status)' })
  list(@Query('printer') printer?: string, @Query('status') status?: string) {
    return this.queue.list({ printer: printer || undefined, status: status || undefined });
  }
  @Get(':id') get(@Param('id', ParseIntPipe) id: number) {
    return this.queue.get(id);
  }
  @Post(':id/cancel') @HttpCode(200) @ApiOperation({ summary: 'Withdraw a queued, held or failed job' })
  cancel(@Param('id', ParseIntPipe) id: number) {
    return this.queue.cancel(id);
  }
  @Post(':id/retry') @HttpCode(200) @ApiOperation({ summary: 'Send a failed job again' })
  retry(@Param('id', ParseIntPipe) id: number) {
    return this.queue.retry(id);
  }
}
