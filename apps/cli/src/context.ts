import 'reflect-metadata';
import os from 'node:os';
import { Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AcquisitionsModule } from '@carrel/acquisitions';
import { AuditModule, runAs } from '@carrel/audit';
import { AuthModule } from '@carrel/auth';
import { CatalogModule, checkItemMappingSetting } from '@carrel/catalog';
import { ConfigModule, loadSettings, projectRoot } from '@carrel/config';
import { DbModule } from '@carrel/db';
import { DemoModule } from '@carrel/demo';
import { LibraryModule } from '@carrel/library';
import { PatronsModule } from '@carrel/patrons';
import { PrintModule } from '@carrel/print';
import { SerialsModule } from '@carrel/serials';

/** The same modules as the hub, without HTTP: the CLI works on the same configuration and data. */
@Module({})
class CliModule {}

export async function withApp<T>(fn: (get: <S>(type: Type<S>) => S) => Promise<T>): Promise<T> {
  const settings = loadSettings({ baseDir: projectRoot() });
  checkItemMappingSetting(settings);
  const app: INestApplicationContext = await NestFactory.createApplicationContext(
    {
      module: CliModule,
      imports: [ConfigModule.forRoot(settings), DbModule.forRoot(), AuditModule, LibraryModule, PatronsModule, CatalogModule, AuthModule, DemoModule, AcquisitionsModule, SerialsModule, PrintModule],
    },
    { logger: ['error'] },
  );
  try {
    return await runAs({ actor: `cli:${os.userInfo().username}` }, () => fn((type) => app.get(type, { strict: false })));
  } finally {
    await app.close();
  }
}
