import { Module } from '@nestjs/common';
import { AuditModule } from '@carrel/audit';
import { CatalogModule } from '@carrel/catalog';
import { MailModule } from '@carrel/mail';
import { CheckinService } from './checkin.service.js';
import { ClaimsController } from './claims.controller.js';
import { ClaimsService } from './claims.service.js';
import { IssuesController, PredictController, SubscriptionsController } from './controllers.js';
import { LateJob } from './late.job.js';
import { PredictionJob } from './prediction.job.js';
import { SubscriptionsService } from './subscriptions.service.js';

/**
 * Serials: subscriptions and their patterns, expected issues, check-in, and their staff API under
 * /api/v1/serials. Scheduled jobs run only where the hub's scheduler role is on.
 */
@Module({
  imports: [AuditModule, CatalogModule, MailModule],
  controllers: [SubscriptionsController, IssuesController, PredictController, ClaimsController],
  providers: [SubscriptionsService, CheckinService, PredictionJob, ClaimsService, LateJob],
  exports: [SubscriptionsService, CheckinService, PredictionJob, ClaimsService, LateJob],
})
export class SerialsModule {}
