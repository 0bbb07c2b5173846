import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import { ITEM_STATUSES } from '@carrel/catalog';

const CODE = /^[A-Za-z0-9_.-]{1,32}$/;
const BARCODE = /^[^\s|\x00-\x1f]{1,64}$/;
const AMOUNT = /^\d{1,9}(\.\d{1,4})?$/;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) skip?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) take?: number;
}

export class BranchQuery {
  @ApiPropertyOptional({ description: 'text in the code or name' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
}

export class CreateBranchDto {
  @ApiProperty({ example: 'CPL', description: 'branch code as the ILS knows it' }) @Matches(CODE, { message: 'code must be 1-32 letters, digits, _ . or -' }) code!: string;
  @ApiProperty({ example: 'Centerville Public Library' }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
}

export class UpdateBranchDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
}

export class CreateLocationDto {
  @ApiProperty({ example: 'STACKS' }) @Matches(CODE, { message: 'code must be 1-32 letters, digits, _ . or -' }) code!: string;
  @ApiProperty({ example: 'Adult stacks' }) @IsString() @Length(1, 200) name!: string;
}

export class PatronQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'text in the barcode, names or email (accents and case ignored)' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ description: 'home branch code' }) @IsOptional() @IsString() branch?: string;
  @ApiPropertyOptional({ description: 'patron category code' }) @IsOptional() @IsString() category?: string;
}

export class UpdatePatronDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) surname?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) firstname?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) otherNames?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) address?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) postcode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) country?: string;
  @ApiPropertyOptional({ example: '1990-04-01' }) @IsOptional() @IsISO8601({ strict: true }) dateOfBirth?: string;
  @ApiPropertyOptional({ example: '2027-12-31' }) @IsOptional() @IsISO8601({ strict: true }) expiryDate?: string;
  @ApiPropertyOptional({ example: 'ADULT' }) @IsOptional() @Matches(CODE) categoryCode?: string;
  @ApiPropertyOptional({ example: 'CPL' }) @IsOptional() @Matches(CODE) branchCode?: string;
  @ApiPropertyOptional({ description: 'new PIN; stored only as a slow hash', writeOnly: true }) @IsOptional() @IsString() @Length(4, 64) pin?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() blocked?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) blockReason?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() lostCard?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() goneNoAddress?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsISO8601({ strict: true }) debarredUntil?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class CreatePatronDto extends UpdatePatronDto {
  @ApiProperty({ example: '23000000000999' }) @Matches(BARCODE, { message: 'barcode must be 1-64 characters without spaces or |' }) barcode!: string;
  @ApiProperty() @IsString() @Length(1, 200) declare surname: string;
  @ApiProperty({ example: 'ADULT' }) @Matches(CODE) declare categoryCode: string;
  @ApiProperty({ example: 'CPL' }) @Matches(CODE) declare branchCode: string;
}

export class RecordQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'text in the title, author or identifiers' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) isbn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(9) issn?: string;
  @ApiPropertyOptional({ description: '001 control number' }) @IsOptional() @IsString() @MaxLength(64) controlNumber?: string;
}

export class ItemQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() barcode?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() recordId?: number;
  @ApiPropertyOptional({ description: 'holding branch code' }) @IsOptional() @IsString() branch?: string;
  @ApiPropertyOptional({ description: 'shelving location code' }) @IsOptional() @IsString() location?: string;
  @ApiPropertyOptional({ enum: ITEM_STATUSES }) @IsOptional() @IsIn(ITEM_STATUSES) status?: string;
}

export class UpdateItemDto {
  @ApiPropertyOptional() @IsOptional() @IsInt() recordId?: number;
  @ApiPropertyOptional({ example: 'QA76.73.J38 S65 2019' }) @IsOptional() @IsString() @MaxLength(200) callNumber?: string;
  @ApiPropertyOptional({ description: 'holding branch code' }) @IsOptional() @Matches(CODE) branchCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) homeBranchCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) locationCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) itemTypeCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(80) collectionCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) copyNumber?: string;
  @ApiPropertyOptional({ enum: ITEM_STATUSES }) @IsOptional() @IsIn(ITEM_STATUSES) status?: string;
  @ApiPropertyOptional({ example: '24.95' }) @IsOptional() @Matches(AMOUNT, { message: 'price must be an amount like 24.95' }) price?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class CreateItemDto extends UpdateItemDto {
  @ApiProperty({ example: '39000000001234' }) @Matches(BARCODE, { message: 'barcode must be 1-64 characters without spaces or |' }) barcode!: string;
  @ApiProperty() @IsInt() declare recordId: number;
  @ApiProperty({ example: 'CPL' }) @Matches(CODE) declare branchCode: string;
}

export class RecordXmlDto {
  @ApiProperty({ description: 'one MARCXML <record> (MARC 21 slim), with or without the marc: prefix' }) @IsString() @Length(20, 1_000_000) marcxml!: string;
}
