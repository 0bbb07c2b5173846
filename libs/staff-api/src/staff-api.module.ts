import { Module } from '@nestjs/common';
import { AuthModule } from '@carrel/auth';
import { CatalogModule } from '@carrel/catalog';
import { LibraryModule } from '@carrel/library';
import { PatronsModule } from '@carrel/patrons';
import { BranchesController, CodesController, ItemsController, PatronsController, RecordsController } from './controllers.js';
import { ShelfListController } from './shelf-list.controller.js';

/** The staff REST API under /api/v1: thin controllers over the domain modules. */
@Module({
  imports: [AuthModule, LibraryModule, PatronsModule, CatalogModule],
  // ShelfListController before ItemsController: its routes must win over GET items/:barcode
  controllers: [BranchesController, CodesController, PatronsController, RecordsController, ShelfListController, ItemsController],
})
export class StaffApiModule {}
