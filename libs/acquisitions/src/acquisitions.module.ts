import { Module } from '@nestjs/common';
import { AuditModule } from '@carrel/audit';
import { ConnectorsController, IntakeFilesController, VendorsController } from './controllers.js';
import { IntakeSchedulerService } from './intake-scheduler.service.js';
import { IntakeService } from './intake.service.js';
import { SftpPollerService } from './sftp-poller.service.js';
import { VendorsService } from './vendors.service.js';
import { OrdersController } from './orders.controller.js';
import { InvoicesService } from './invoices.service.js';
import { OrdersService } from './orders.service.js';
import { VendorMarcIntakeService } from './vendor-marc-intake.service.js';

/**
 * Acquisitions intake: vendors, SFTP connectors, the intake ledger and its staff API under
 * /api/v1/acquisitions. Scheduled polls run only where the hub's scheduler role is on.
 */
@Module({
  imports: [AuditModule],
  controllers: [VendorsController, ConnectorsController, IntakeFilesController, OrdersController],
  providers: [VendorsService, IntakeService, SftpPollerService, IntakeSchedulerService, OrdersService, InvoicesService, VendorMarcIntakeService],
  exports: [VendorsService, IntakeService, SftpPollerService, IntakeSchedulerService, OrdersService, InvoicesService, VendorMarcIntakeService],
})
export class AcquisitionsModule {}
