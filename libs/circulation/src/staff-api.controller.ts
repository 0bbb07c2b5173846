import { applyDecorators, BadRequestException, Body, ConflictException, Controller, Delete, Get, HttpCode, Inject, Module, NotFoundException, Param, ParseIntPipe, Post, Query, type DynamicModule } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DbService } from '@carrel/db';
import type { Terminal } from './backend.js';
import { LocalCirculationEngine } from './engine.js';
import { CirculationLogQuery, DeclareLostDto, PatronFeesQuery, PlaceHoldDto } from './staff-api.dto.js';
import { CirculationStaffQueries } from './staff-queries.service.js';

/** Staff act at a desk, not a SIP terminal: the audit log names their token; the branch is theirs if they give it. */
const desk = (branch?: string): Terminal => ({ branchCode: branch ?? '*', device: 'staff-api' });

/** a staff API controller: documented under "circulation", bearer token required (the hub's global guard) */
const StaffController = (path: string) => applyDecorators(ApiTags('circulation'), ApiBearerAuth(), Controller(path));

@StaffController('api/v1/patrons')
export class PatronCirculationController {
  constructor(@Inject(CirculationStaffQueries) private readonly queries: CirculationStaffQueries) {}

  @Get(':barcode/loans') @ApiOperation({ summary: "The patron's open loans, soonest due first" })
  loans(@Param('barcode') barcode: string) {
    return this.queries.loans(barcode, new Date());
  }
  @Get(':barcode/holds') @ApiOperation({ summary: "The patron's active holds (waiting, in transit, on the hold shelf)" })
  holds(@Param('barcode') barcode: string) {
    return this.queries.holds(barcode, new Date());
  }
  @Get(':barcode/fees') @ApiOperation({ summary: "The patron's open fees (all=true: closed ones too) with their SIP fee types" })
  fees(@Param('barcode') barcode: string, @Query() q: PatronFeesQuery) {
    return this.queries.fees(barcode, q.all ?? false);
  }
}

@StaffController('api/v1/items')
export class LostItemsController {
  constructor(
    @Inject(LocalCirculationEngine) private readonly engine: LocalCirculationEngine,
    @Inject(DbService) private readonly db: DbService,
  ) {}

  @Post(':barcode/lost') @HttpCode(200)
  @ApiOperation({ summary: "Declare an item lost: its loan closes and the borrower is charged its price (or, without one, its circulation rule's lostItemCharge, else circulation.lostItemCharge) as a replacement fee (SIP 07)" })
  async declareLost(@Param('barcode') barcode: string, @Body() body: DeclareLostDto) {
    if (!(await this.db.prisma.item.findUnique({ where: { barcode }, select: { id: true } }))) throw new NotFoundException(`item "${barcode}" not found`);
    const r = await this.engine.declareLost({ itemBarcode: barcode, at: new Date(), terminal: desk(body.branch) });
    if (!r.ok) throw new ConflictException(r.screenMessage);
    return { itemBarcode: barcode, status: 'lost', patronBarcode: r.patronBarcode, fee: r.feeId === null ? null : { id: r.feeId, amount: r.feeAmount, currency: this.engine.options.currency, sipFeeType: '07' } };
  }
}

@StaffController('api/v1/holds')
export class HoldsController {
  constructor(
    @Inject(LocalCirculationEngine) private readonly engine: LocalCirculationEngine,
    @Inject(DbService) private readonly db: DbService,
  ) {}

  @Post() @ApiOperation({ summary: 'Place a hold for a patron on an item (itemBarcode) or a title (recordId)' })
  async place(@Body() body: PlaceHoldDto) {
    if ((body.itemBarcode === undefined) === (body.recordId === undefined)) throw new BadRequestException('give either itemBarcode or recordId');
    const prisma = this.db.prisma;
    if (!(await prisma.patron.findUnique({ where: { barcode: body.patronBarcode }, select: { id: true } }))) throw new NotFoundException(`patron "${body.patronBarcode}" not found`);
    if (body.itemBarcode !== undefined && !(await prisma.item.findUnique({ where: { barcode: body.itemBarcode }, select: { id: true } }))) throw new NotFoundException(`item "${body.itemBarcode}" not found`);
    if (body.recordId !== undefined && !(await prisma.bibRecord.findUnique({ where: { id: body.recordId }, select: { id: true } }))) throw new NotFoundException(`record ${body.recordId} not found`);
    const r = await this.engine.hold({
      mode: 'add', patronBarcode: body.patronBarcode, itemBarcode: body.itemBarcode, titleId: body.recordId === undefined ? undefined : String(body.recordId),
      pickupBranch: body.pickupBranch, expiresAt: body.expiresAt ? new Date(body.expiresAt) : undefined, at: new Date(), terminal: desk(body.pickupBranch),
    });
    if (!r.ok) throw new ConflictException(r.screenMessage);
    return { id: r.holdId, status: 'waiting', queuePosition: r.queuePosition, available: r.available, pickupBranch: r.pickupBranch, expiresAt: r.expiresAt, title: r.title, itemBarcode: r.itemBarcode };
  }

  @Delete(':id') @HttpCode(204) @ApiOperation({ summary: 'Cancel a hold; an item waiting on the shelf for it goes back to the normal flow' })
  async cancel(@Param('id', ParseIntPipe) id: number) {
    const r = await this.engine.cancelHold({ holdId: id, at: new Date(), terminal: desk() });
    if (!r.found) throw new NotFoundException(`hold ${id} not found`);
    if (!r.ok) throw new ConflictException(r.screenMessage);
  }
}

@StaffController('api/v1/circulation')
export class CirculationLogController {
  constructor(@Inject(CirculationStaffQueries) private readonly queries: CirculationStaffQueries) {}

  @Get('log') @ApiOperation({ summary: 'The SIP2 circulation log (PINs and passwords masked): what a kiosk or account did, and when' })
  log(@Query() q: CirculationLogQuery) {
    return this.queries.circulationLog(q);
  }
}

/**
 * The staff REST endpoints for circulation, on the given circulation module (the hub passes the same
 * one its SIP2 role uses, so there is one engine). Guarded and attributed like the rest of /api/v1 by
 * the hub's global StaffTokenGuard and AuditActorInterceptor.
 */
@Module({})
export class CirculationApiModule {
  static forRoot(circulation: DynamicModule): DynamicModule {
    return {
      module: CirculationApiModule,
      imports: [circulation],
      controllers: [PatronCirculationController, LostItemsController, HoldsController, CirculationLogController],
      providers: [CirculationStaffQueries],
    };
  }
}
