import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

// as the staff API's own DTOs: codes and barcodes never hold spaces, the SIP delimiter or control characters
const CODE = /^[A-Za-z0-9_.-]{1,32}$/;
const BARCODE = /^[^\s|\x00-\x1f]{1,64}$/;

export class PatronFeesQuery {
  @ApiPropertyOptional({ description: 'include closed (paid or written off) fees', default: false })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() all?: boolean;
}

export class DeclareLostDto {
  @ApiPropertyOptional({ example: 'CPL', description: 'branch where staff declare it (for the audit log)' }) @IsOptional() @Matches(CODE, { message: 'branch must be a branch code' }) branch?: string;
}

export class PlaceHoldDto {
  @ApiProperty({ example: '23000000000011' }) @Matches(BARCODE, { message: 'patronBarcode must be a barcode (1-64 characters, no spaces)' }) patronBarcode!: string;
  @ApiPropertyOptional({ example: '39000000000013', description: 'hold this item (item-level hold)' }) @IsOptional() @Matches(BARCODE, { message: 'itemBarcode must be a barcode (1-64 characters, no spaces)' }) itemBarcode?: string;
  @ApiPropertyOptional({ example: 42, description: 'hold any item of this record (title-level hold)' }) @IsOptional() @IsInt() @Min(1) recordId?: number;
  @ApiPropertyOptional({ example: 'MAIN', description: "pickup branch; default the patron's home branch" }) @IsOptional() @Matches(CODE, { message: 'pickupBranch must be a branch code' }) pickupBranch?: string;
  @ApiPropertyOptional({ example: '2027-12-31T23:59:59Z', description: 'the request lapses after this' }) @IsOptional() @IsISO8601({ strict: true }) expiresAt?: string;
}

export class CirculationLogQuery {
  @ApiPropertyOptional({ example: 'kiosk-3', description: 'SIP device (location code CP or the account name)' }) @IsOptional() @IsString() @MaxLength(64) device?: string;
  @ApiPropertyOptional({ example: 'kiosk', description: 'SIP account (login)' }) @IsOptional() @IsString() @MaxLength(64) account?: string;
  @ApiPropertyOptional({ example: '2027-03-01T10:40:00Z', description: 'from this instant (inclusive)' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2027-03-01T10:45:00Z', description: 'to this instant (inclusive)' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ example: '11', description: 'SIP message id of the request' }) @IsOptional() @Matches(/^\d{2}$/, { message: 'messageId must be two digits' }) messageId?: string;
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) skip?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) take?: number;
}
