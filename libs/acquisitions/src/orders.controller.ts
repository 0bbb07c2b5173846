import type { IncomingMessage } from 'node:http';
import {
  Body, Controller, Get, Header, HttpCode, Param, ParseIntPipe, PayloadTooLargeException, Post, Query, Req, Res, UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InvoicesService } from './invoices.service.js';
import { CreateOrderDto, InvoiceQueryDto, InvoiceUploadQueryDto, LineDecisionDto, OrderLineQueryDto, OrderQueryDto } from './orders.dto.js';
import { OrdersService } from './orders.service.js';

/** The largest invoice file staff may post; vendors' invoice files are a few hundred kilobytes at most. */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

/** The raw request body (the hub parses only JSON and forms, so an EDIFACT body is still unread). */
async function rawBody(req: IncomingMessage): Promise<Buffer> {
  // a JSON or form body was read by the hub's parsers already: that is not a file
  if (req.readableEnded) throw new UnsupportedMediaTypeException('send the EDIFACT file itself as the body, with Content-Type application/edifact or text/plain');
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_UPLOAD_BYTES) throw new PayloadTooLargeException(`the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_UPLOAD_BYTES) {
      req.destroy();
      throw new PayloadTooLargeException(`the file is larger than ${MAX_UPLOAD_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

@ApiTags('acquisitions')
@ApiBearerAuth()
@Controller('api/v1/acquisitions')
export class OrdersController {
  constructor(private readonly orders: OrdersService, private readonly invoices: InvoicesService) {}

  @Post('orders') @ApiOperation({ summary: 'Create an order with its lines' })
  create(@Body() body: CreateOrderDto) {
    return this.orders.createOrder({ ...body, orderedAt: body.orderedAt ? new Date(body.orderedAt) : null });
  }
  @Get('orders') @ApiOperation({ summary: 'Orders, newest first' })
  list(@Query() q: OrderQueryDto) {
    return this.orders.listOrders(q);
  }
  @Get('orders/:id') @ApiOperation({ summary: 'One order with its lines and their status' })
  get(@Param('id', ParseIntPipe) id: number) {
    return this.orders.getOrder(id);
  }
  @Get('order-lines') @ApiOperation({ summary: 'Order lines with status, received, invoiced and back-ordered quantities' })
  lines(@Query() q: OrderLineQueryDto) {
    return this.orders.listOrderLines(q);
  }

  @Post('invoices') @ApiConsumes('application/edifact', 'text/plain')
  @ApiOperation({ summary: 'Load an EDIFACT invoice file (the body) for a vendor: stored in the intake ledger, then reconciled' })
  async upload(@Query() q: InvoiceUploadQueryDto, @Req() req: IncomingMessage) {
    const bytes = await rawBody(req);
    return this.invoices.receiveInvoiceFile(q.vendor, bytes, q.name);
  }
  @Get('invoices') @ApiOperation({ summary: 'Invoices, newest first' })
  invoicesList(@Query() q: InvoiceQueryDto) {
    return this.invoices.list(q);
  }
  @Get('invoices/:id/reconciliation.csv') @Header('Content-Type', 'text/csv; charset=utf-8')
  @ApiOperation({ summary: 'The reconciliation report as CSV' })
  async csv(@Param('id', ParseIntPipe) id: number, @Res({ passthrough: true }) res: { setHeader(name: string, value: string): void }) {
    const { invoiceNumber, csv } = await this.invoices.reconciliationCsv(id);
    res.setHeader('Content-Disposition', `attachment; filename="reconciliation-${invoiceNumber.replace(/[^A-Za-z0-9._-]/g, '_')}.csv"`);
    return csv;
  }
  @Get('invoices/:id/reconciliation') @ApiOperation({ summary: 'The whole reconciliation: header checks, each line\'s match, verdicts and decision' })
  reconciliation(@Param('id', ParseIntPipe) id: number) {
    return this.invoices.reconciliation(id);
  }
  @Post('invoices/:id/lines/:lineId/decision') @HttpCode(200) @ApiOperation({ summary: 'Accept, dispute or correct one invoice line' })
  decide(@Param('id', ParseIntPipe) id: number, @Param('lineId', ParseIntPipe) lineId: number, @Body() body: LineDecisionDto) {
    return this.invoices.decide(id, lineId, body);
  }
  @Post('invoices/:id/accept') @HttpCode(200) @ApiOperation({ summary: 'Accept the invoice once every line is decided; closes the matched order lines' })
  accept(@Param('id', ParseIntPipe) id: number) {
    return this.invoices.accept(id);
  }
}
