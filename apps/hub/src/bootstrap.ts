import 'reflect-metadata';
import { BadRequestException, ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ValidationError } from 'class-validator';
import type { CarrelSettings } from '@carrel/config';
import { DemoSeeder } from '@carrel/demo';
import { Sip2Server } from '@carrel/sip2-server';
import { NestJsonLogger, type CarrelLogger } from '@carrel/logging';
import { HubModule } from './hub.module.js';

/** "field: what is wrong" for every failing field, nested ones with their path. */
export function validationMessages(errors: ValidationError[], prefix = ''): string[] {
  return errors.flatMap((e) => [
    ...Object.values(e.constraints ?? {}).map((m) => (m.startsWith(e.property) ? `${prefix}${m}` : `${prefix}${e.property}: ${m}`)),
    ...validationMessages(e.children ?? [], `${prefix}${e.property}.`),
  ]);
}

/** Builds the hub: modules for the configured roles, validation, OpenAPI, request logs, demo data on first start. */
export async function createHub(settings: CarrelSettings, logger: CarrelLogger): Promise<INestApplication> {
  const app = await NestFactory.create(HubModule.forRoot(settings), { logger: new NestJsonLogger(logger), bufferLogs: false });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors) => new BadRequestException({ statusCode: 400, error: 'Bad Request', message: validationMessages(errors) }),
    }),
  );
  app.use((req: { method: string; originalUrl: string }, res: { statusCode: number; on(e: string, f: () => void): void }, next: () => void) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info({ http: { method: req.method, url: req.originalUrl, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 } }, 'request');
    });
    next();
  });
  if (settings['http.enabled']) {
    const doc = new DocumentBuilder()
      .setTitle('Carrel staff API')
      .setDescription('Branches, patrons, bibliographic records and items. Every call but /health needs `Authorization: Bearer <token>` (`carrel token create NAME`).')
      .setVersion('1')
      .addBearerAuth()
      .build();
    SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'api/docs/openapi.json' });
  }
  try {
    await app.init();
    if (settings['demo.seedOnEmpty']) {
      const seeded = await app.get(DemoSeeder).seedIfEmpty();
      if (seeded) logger.info({ demo: seeded }, 'empty database: demo library seeded');
    }
    if (settings['sip2.enabled']) {
      const sip2 = app.get(Sip2Server);
      await sip2.start();
      // closing the hub stops new SIP2 sessions first and lets transactions in flight finish
      const close = app.close.bind(app);
      app.close = async () => {
        await sip2.stop();
        await close();
      };
    }
  } catch (e) {
    // a start that fails part-way (a bad cron in one job) has already started other jobs and opened the
    // database: shut them down, so nothing of a hub that never started keeps running
    await app.close().catch(() => undefined);
    throw e;
  }
  return app;
}
