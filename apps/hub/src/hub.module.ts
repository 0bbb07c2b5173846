import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AcquisitionsModule } from '@carrel/acquisitions';
import { AuditModule } from '@carrel/audit';
import { CirculationApiModule, HoldExpiryModule } from '@carrel/circulation';
import { AuditActorInterceptor, AuthModule, StaffTokenGuard } from '@carrel/auth';
import { ConfigModule, type CarrelSettings } from '@carrel/config';
import { DbModule } from '@carrel/db';
import { DemoModule } from '@carrel/demo';
import { PrintModule } from '@carrel/print';
import { SerialsModule } from '@carrel/serials';
import { StaffApiModule } from '@carrel/staff-api';
import { HealthController } from './health.controller.js';
import { circulationModule, sip2Module } from './sip2-role.js';

/**
 * The long-running Carrel process. Which roles it plays (HTTP staff API, SIP2 listener, scheduled
 * jobs) is configuration, so a large site can run SIP-only instances beside one that runs the jobs.
 */
@Module({})
export class HubModule {
  static forRoot(settings: CarrelSettings): DynamicModule {
    const imports: DynamicModule['imports'] = [ConfigModule.forRoot(settings), DbModule.forRoot(), AuditModule, DemoModule, AcquisitionsModule, SerialsModule, PrintModule];
    const controllers: DynamicModule['controllers'] = [];
    const providers: DynamicModule['providers'] = [];
    if (settings['http.enabled']) {
      imports.push(AuthModule, StaffApiModule, CirculationApiModule.forRoot(circulationModule(settings)));
      controllers.push(HealthController);
      providers.push({ provide: APP_GUARD, useClass: StaffTokenGuard }, { provide: APP_INTERCEPTOR, useClass: AuditActorInterceptor });
    }
    if (settings['sip2.enabled']) imports.push(sip2Module(settings));
    if (settings['scheduler.enabled']) imports.push(ScheduleModule.forRoot(), HoldExpiryModule.forRoot(circulationModule(settings)));
    return { module: HubModule, imports, controllers, providers };
  }
}
