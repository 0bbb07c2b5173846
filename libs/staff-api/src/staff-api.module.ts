import { Module } from '@nestjs/common';
import { AuthModule } from '@carrel/auth';
import { CatalogModule } from '@carrel/catalog';
import { LibraryModule } from '@carrel/library';
import { PatronsModule } from '@carrel/patrons';
import { BranchesController, CodesController, ItemsController, PatronsController, RecordsController } from './controllers.js';

/** The staff REST API under /api/v1: thin controllers over the domain modules. */
@Module({
  imports: [AuthModule, LibraryModule, PatronsModule, CatalogModule],
  controllers: [BranchesController, CodesController, PatronsController, RecordsController, ItemsController],
})
export class StaffApiModule {}
