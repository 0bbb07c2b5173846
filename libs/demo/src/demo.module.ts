import { Module } from '@nestjs/common';
import { AuthModule } from '@carrel/auth';
import { CatalogModule } from '@carrel/catalog';
import { DemoSeeder } from './demo-seeder.service.js';

@Module({ imports: [CatalogModule, AuthModule], providers: [DemoSeeder], exports: [DemoSeeder] })
export class DemoModule {}
