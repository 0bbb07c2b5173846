import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested,
} from 'class-validator';

const CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const AMOUNT = /^\d{1,9}(\.\d{1,4})?$/;

export const ORDER_LINE_STATUSES = ['ordered', 'accepted', 'back-ordered', 'cancelled', 'received', 'closed'] as const;
export const INVOICE_STATES = ['open', 'accepted', 'disputed'] as const;
export const LINE_DECISIONS = ['accept', 'dispute', 'correct'] as const;
export type LineDecision = (typeof LINE_DECISIONS)[number];

export class OrderLineDto {
  @ApiProperty({ example: '100/1', description: 'the line reference sent to the vendor in RFF+LI' }) @IsString() @Length(1, 70) lineReference!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) isbn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) issn?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{8,14}$/, { message: 'ean must be 8 to 14 digits' }) ean?: string;
  @ApiPropertyOptional({ description: 'the vendor\'s own article number' }) @IsOptional() @IsString() @MaxLength(70) vendorReference?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) author?: string;
  @ApiProperty({ minimum: 1, maximum: 100000 }) @IsInt() @Min(1) @Max(100000) quantity!: number;
  @ApiPropertyOptional({ example: '12.50', description: 'agreed net unit price' }) @IsOptional() @Matches(AMOUNT, { message: 'unitPrice must be an amount such as 12.50' }) unitPrice?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) fundCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) branchCode?: string;
  @ApiPropertyOptional({ description: 'the catalog record the line is for' }) @IsOptional() @IsInt() @Min(1) recordId?: number;
}

export class CreateOrderDto {
  @ApiProperty({ example: 'BT', description: 'vendor code' }) @Matches(CODE, { message: 'vendor must be a vendor code' }) vendor!: string;
  @ApiProperty({ example: '100' }) @IsString() @Length(1, 70) orderNumber!: string;
  @ApiPropertyOptional({ example: 'USD', description: 'default: the vendor\'s currency' }) @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' }) currency?: string;
  @ApiPropertyOptional({ example: '2026-03-01' }) @IsOptional() @IsISO8601() orderedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
  @ApiProperty({ type: [OrderLineDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(5000) @ValidateNested({ each: true }) @Type(() => OrderLineDto) lines!: OrderLineDto[];
}

class Page {
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) skip?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) take?: number;
}

export class OrderQueryDto extends Page {
  @ApiPropertyOptional({ description: 'vendor code' }) @IsOptional() @Matches(CODE) vendor?: string;
  @ApiPropertyOptional({ enum: ['open', 'closed', 'cancelled'] }) @IsOptional() @IsIn(['open', 'closed', 'cancelled']) status?: string;
}

export class OrderLineQueryDto extends Page {
  @ApiPropertyOptional({ description: 'vendor code' }) @IsOptional() @Matches(CODE) vendor?: string;
  @ApiPropertyOptional({ enum: ORDER_LINE_STATUSES }) @IsOptional() @IsIn(ORDER_LINE_STATUSES) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(70) orderNumber?: string;
}

export class InvoiceQueryDto extends Page {
  @ApiPropertyOptional({ description: 'vendor code' }) @IsOptional() @Matches(CODE) vendor?: string;
  @ApiPropertyOptional({ enum: INVOICE_STATES }) @IsOptional() @IsIn(INVOICE_STATES) state?: string;
}

export class InvoiceUploadQueryDto {
  @ApiProperty({ description: 'code of the vendor the invoice is from' }) @Matches(CODE, { message: 'vendor must be a vendor code' }) vendor!: string;
  @ApiPropertyOptional({ description: 'file name to record in the intake ledger' }) @IsOptional() @Matches(/^[A-Za-z0-9_. -]{1,100}$/, { message: 'name must be a plain file name' }) name?: string;
}

export class LineDecisionDto {
  @ApiProperty({ enum: LINE_DECISIONS }) @IsIn(LINE_DECISIONS) decision!: LineDecision;
  @ApiPropertyOptional({ description: 'corrected quantity (decision correct)' }) @IsOptional() @IsInt() @Min(0) @Max(100000) quantity?: number;
  @ApiPropertyOptional({ description: 'corrected net unit price (decision correct)' }) @IsOptional() @Matches(AMOUNT, { message: 'unitPrice must be an amount such as 12.50' }) unitPrice?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}
