import { Module } from '@nestjs/common';
import { CatalogService } from './catalog.service.js';
import { MarcImportService } from './marc-import.service.js';
import { ShelfListService } from './shelf-list.service.js';

@Module({ providers: [CatalogService, MarcImportService, ShelfListService], exports: [CatalogService, MarcImportService, ShelfListService] })
export class CatalogModule {}
