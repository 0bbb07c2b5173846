import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service.js';
import { MarcImportService } from './marc-import.service.js';

@Module({ providers: [CatalogService, MarcImportService], exports: [CatalogService, MarcImportService] })
export class CatalogModule {}
