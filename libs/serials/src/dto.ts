import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsBoolean, IsDefined, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { ISSUE_STATUSES, MAX_PREVIEW, PATTERN_KINDS } from './subscriptions.service.js';

const CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = { message: '$property must be a date YYYY-MM-DD' };
const CAPTION_EXAMPLE = '853 20 $81$av.$bno.$u12$vr$i(year)$j(month)$wm$x01';

export class PatternDto {
  @ApiPropertyOptional({ description: 'on update: the pattern to change (without it, a pattern is added)' }) @IsOptional() @IsInt() id?: number;
  @ApiPropertyOptional({ enum: PATTERN_KINDS, description: 'default: from the caption tag (853 issue, 854 supplement, 855 index)' }) @IsOptional() @IsIn(PATTERN_KINDS) kind?: string;
  @ApiPropertyOptional({ example: CAPTION_EXAMPLE }) @IsOptional() @IsString() @Length(1, 4096) caption?: string;
  @ApiPropertyOptional({ description: 'the first issue to expect: 863 values as an object, or the 863 text', example: { a: '1', b: '1', i: '1990', j: '01' } })
  @IsOptional() @Allow() firstIssue?: Record<string, string> | string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}

class SubscriptionFields {
  @ApiPropertyOptional({ example: '0028-0836' }) @IsOptional() @IsString() @MaxLength(9) issn?: string | null;
  @ApiPropertyOptional({ description: 'catalogue record of the title (items made at check-in attach to it)' }) @IsOptional() @IsInt() bibRecordId?: number | null;
  @ApiPropertyOptional({ description: 'acquisitions vendor code' }) @IsOptional() @Matches(CODE) vendorCode?: string | null;
  @ApiPropertyOptional({ description: 'the vendor\'s subscription reference' }) @IsOptional() @IsString() @MaxLength(100) vendorReference?: string | null;
  @ApiPropertyOptional({ description: 'the library\'s account number with the vendor for this title' }) @IsOptional() @IsString() @MaxLength(64) vendorAccount?: string | null;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) locationCode?: string | null;
  @ApiPropertyOptional({ example: '2027-12-31' }) @IsOptional() @Matches(DATE, DATE_MESSAGE) endDate?: string | null;
  @ApiPropertyOptional({ default: 0, description: 'days after the chronology date an issue is expected here' }) @IsOptional() @IsInt() @Min(-366) @Max(366) expectedOffsetDays?: number;
  @ApiPropertyOptional({ description: 'days after the expected date before an issue is late; null: from the frequency' }) @IsOptional() @IsInt() @Min(0) @Max(3660) graceDays?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) routingNotes?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ type: [PatternDto] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => PatternDto) patterns?: PatternDto[];
}

export class CreateSubscriptionDto extends SubscriptionFields {
  @ApiProperty({ example: 'Nature' }) @IsString() @Length(1, 500) title!: string;
  @ApiProperty({ example: 'CPL' }) @Matches(CODE, { message: 'branchCode must be a branch code' }) branchCode!: string;
  @ApiProperty({ example: '2027-01-01' }) @Matches(DATE, DATE_MESSAGE) startDate!: string;
}

export class UpdateSubscriptionDto extends SubscriptionFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 500) title?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE, { message: 'branchCode must be a branch code' }) branchCode?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, DATE_MESSAGE) startDate?: string;
}

export class SubscriptionQueryDto {
  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ description: 'vendor code' }) @IsOptional() @Matches(CODE) vendor?: string;
  @ApiPropertyOptional({ description: 'branch code' }) @IsOptional() @Matches(CODE) branch?: string;
  @ApiPropertyOptional({ description: 'words of the title, or the ISSN' }) @IsOptional() @IsString() @MaxLength(200) q?: string;
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) skip?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) take?: number;
}

export class IssueQueryDto {
  @ApiPropertyOptional({ enum: ISSUE_STATUSES }) @IsOptional() @IsIn(ISSUE_STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'publication date from (YYYY-MM-DD)' }) @IsOptional() @Matches(DATE, DATE_MESSAGE) from?: string;
  @ApiPropertyOptional({ description: 'publication date to (YYYY-MM-DD)' }) @IsOptional() @Matches(DATE, DATE_MESSAGE) to?: string;
}

export class CheckinItemDto {
  @ApiProperty() @IsString() @Length(1, 100) barcode!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) callNumber?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) itemTypeCode?: string;
  @ApiPropertyOptional({ description: 'default: the subscription\'s location' }) @IsOptional() @Matches(CODE) locationCode?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) copyNumber?: string;
}

export class ReceiveDto {
  @ApiPropertyOptional({ type: [Number], description: 'other expected issues that came bound in this one' }) @IsOptional() @IsArray() @ArrayMaxSize(52) @IsInt({ each: true }) combine?: number[];
  @ApiPropertyOptional({ type: CheckinItemDto, description: 'create an item for the issue in the same step' }) @IsOptional() @ValidateNested() @Type(() => CheckinItemDto) item?: CheckinItemDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class UnpredictedDto {
  @ApiProperty({ description: '863 values as an object, or the 863 text', example: { a: '3', b: '13', i: '1991', j: '12' } }) @IsDefined() @Allow() values!: Record<string, string> | string;
  @ApiPropertyOptional({ enum: PATTERN_KINDS, default: 'issue' }) @IsOptional() @IsIn(PATTERN_KINDS) kind?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(DATE, DATE_MESSAGE) publicationDate?: string;
  @ApiPropertyOptional({ description: 'default: the Z39.71 label from the pattern' }) @IsOptional() @IsString() @Length(1, 500) label?: string;
  @ApiPropertyOptional({ type: CheckinItemDto }) @IsOptional() @ValidateNested() @Type(() => CheckinItemDto) item?: CheckinItemDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class NoteDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class PredictDto {
  @ApiProperty({ example: CAPTION_EXAMPLE }) @IsString() @Length(1, 4096) pattern!: string;
  @ApiProperty({ description: 'the last issue: 863 text or values', example: '863 41 $81.1$a1$b6$i1990$j06' }) @IsDefined() @Allow() last!: Record<string, string> | string;
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PREVIEW, default: 12 }) @IsOptional() @IsInt() @Min(1) @Max(MAX_PREVIEW) count?: number;
  @ApiPropertyOptional({ description: 'predict up to this publication date (inclusive)' }) @IsOptional() @Matches(DATE, DATE_MESSAGE) until?: string;
}
