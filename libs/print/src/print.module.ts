import { Module } from '@nestjs/common';
import { AuditModule } from '@carrel/audit';
import { CatalogModule } from '@carrel/catalog';
import { MailModule } from '@carrel/mail';
import { NoticesController } from './notices/notices.controller.js';
import { NoticesJob } from './notices/notices.job.js';
import { NoticesService } from './notices/notices.service.js';
import { LabelsService } from './labels/labels.service.js';
import { PrintQueueJob } from './printers/print-queue.job.js';
import { PrintQueueService } from './printers/print-queue.service.js';
import { PrintersController, PrintJobsController } from './printers/printers.controller.js';
import { PrintersService } from './printers/printers.service.js';

/**
 * Printing: the configured printers and their SNMP state, and the print queue (sent in the background where
 * the hub's scheduler role is on). Labels and notices add their providers and controllers here.
 */
@Module({
  imports: [AuditModule, MailModule, CatalogModule],
  controllers: [PrintersController, PrintJobsController, NoticesController],
  providers: [PrintersService, PrintQueueService, PrintQueueJob, NoticesService, NoticesJob, LabelsService],
  exports: [PrintersService, PrintQueueService, PrintQueueJob, NoticesService, NoticesJob, LabelsService],
})
export class PrintModule {}
