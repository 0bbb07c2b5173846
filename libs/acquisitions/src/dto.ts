import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AFTER_DOWNLOAD_ACTIONS, INTAKE_KINDS } from './file-kinds.js';
import { INTAKE_STATES } from './intake.service.js';

const CODE = /^[A-Za-z0-9_.-]{1,40}$/;
const AMOUNT = /^\d{1,9}(\.\d{1,4})?$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,100}$/;

export class CreateVendorDto {
  @ApiProperty({ example: 'BT', description: 'short code staff use' }) @Matches(CODE, { message: 'code must be 1-40 letters, digits, _ . or -' }) code!: string;
  @ApiProperty({ example: 'Baker & Taylor' }) @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ description: 'Standard Address Number' }) @IsOptional() @IsString() @MaxLength(20) san?: string;
  @ApiPropertyOptional({ description: 'EAN / GLN' }) @IsOptional() @Matches(/^\d{8,14}$/, { message: 'ean must be 8 to 14 digits' }) ean?: string;
  @ApiPropertyOptional({ type: [String], description: 'account numbers the vendor gave us' }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(64, { each: true }) accountNumbers?: string[];
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional({ description: 'where claims go' }) @IsOptional() @IsEmail() claimsEmail?: string;
  @ApiPropertyOptional({ example: 'USD' }) @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' }) currency?: string;
  @ApiPropertyOptional({ example: '2', description: 'invoice price tolerance, percent' }) @IsOptional() @Matches(AMOUNT) priceTolerancePercent?: string;
  @ApiPropertyOptional({ example: '0.05', description: 'invoice price tolerance, amount' }) @IsOptional() @Matches(AMOUNT) priceToleranceAmount?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
  @ApiPropertyOptional({ example: 30, description: 'serials: days between two claims of one issue' }) @IsOptional() @IsInt() @Min(1) @Max(365) claimIntervalDays?: number;
  @ApiPropertyOptional({ example: 3, description: 'serials: claims per issue at most (0: never claim)' }) @IsOptional() @IsInt() @Min(0) @Max(20) maxClaims?: number;
  @ApiPropertyOptional({ description: 'serials: the nightly job sends this vendor\'s claims without staff review' }) @IsOptional() @IsBoolean() autoSendClaims?: boolean;
}

export class UpdateVendorDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) san?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^\d{8,14}$/, { message: 'ean must be 8 to 14 digits' }) ean?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @MaxLength(64, { each: true }) accountNumbers?: string[];
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() claimsEmail?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' }) currency?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(AMOUNT) priceTolerancePercent?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(AMOUNT) priceToleranceAmount?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ example: 30, description: 'serials: days between two claims of one issue' }) @IsOptional() @IsInt() @Min(1) @Max(365) claimIntervalDays?: number;
  @ApiPropertyOptional({ example: 3, description: 'serials: claims per issue at most (0: never claim)' }) @IsOptional() @IsInt() @Min(0) @Max(20) maxClaims?: number;
  @ApiPropertyOptional({ description: 'serials: the nightly job sends this vendor\'s claims without staff review' }) @IsOptional() @IsBoolean() autoSendClaims?: boolean;
}

export class CreateContactDto {
  @ApiProperty() @IsString() @Length(1, 200) name!: string;
  @ApiPropertyOptional({ example: 'claims' }) @IsOptional() @IsString() @MaxLength(50) role?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) notes?: string;
}

export class ConnectorFolderDto {
  @ApiProperty({ enum: INTAKE_KINDS }) @IsIn(INTAKE_KINDS) kind!: (typeof INTAKE_KINDS)[number];
  @ApiProperty({ example: '/outgoing' }) @IsString() @Length(1, 1024) path!: string;
  @ApiProperty({ type: [String], example: ['*.CEI'] }) @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 200, { each: true }) patterns!: string[];
}

class ConnectorFields {
  @ApiPropertyOptional() @IsOptional() @Matches(CODE) name?: string;
  @ApiPropertyOptional({ default: 22 }) @IsOptional() @IsInt() @Min(1) @Max(65535) port?: number;
  @ApiPropertyOptional({ description: 'path of a private key file on the hub machine' }) @IsOptional() @IsString() @MaxLength(1024) privateKeyPath?: string;
  @ApiPropertyOptional({ description: 'NAME of the environment variable holding the key passphrase' }) @IsOptional() @Matches(ENV_NAME) passphraseEnv?: string;
  @ApiPropertyOptional({ description: 'NAME of the environment variable holding the password' }) @IsOptional() @Matches(ENV_NAME) passwordEnv?: string;
  @ApiPropertyOptional({ type: [ConnectorFolderDto], description: 'default: Koha\'s .CEI/.CEA/.CEQ/.mrc/.xml in the login folder' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => ConnectorFolderDto) folders?: ConnectorFolderDto[];
  @ApiPropertyOptional({ enum: AFTER_DOWNLOAD_ACTIONS, default: 'leave' }) @IsOptional() @IsIn(AFTER_DOWNLOAD_ACTIONS) afterDownload?: string;
  @ApiPropertyOptional({ description: 'remote folder for afterDownload=move' }) @IsOptional() @IsString() @MaxLength(1024) moveTo?: string;
  @ApiPropertyOptional({ example: '0 */30 * * * *' }) @IsOptional() @IsString() @MaxLength(100) schedule?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() enabled?: boolean;
}

export class CreateConnectorDto extends ConnectorFields {
  @ApiProperty({ example: 'sftp.vendor.example' }) @IsString() @Length(1, 255) host!: string;
  @ApiProperty() @IsString() @Length(1, 255) username!: string;
  @ApiProperty({ description: 'the server\'s host key ("ssh-ed25519 AAAA…") or its SHA256 fingerprint; required' }) @IsString() @Length(1, 20_000) hostKey!: string;
}

export class UpdateConnectorDto extends ConnectorFields {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 255) host?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 255) username?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 20_000) hostKey?: string;
}

export class IntakeFileQueryDto {
  @ApiPropertyOptional({ description: 'vendor code' }) @IsOptional() @Matches(CODE) vendor?: string;
  @ApiPropertyOptional({ enum: INTAKE_STATES }) @IsOptional() @IsIn(INTAKE_STATES) state?: string;
  @ApiPropertyOptional({ enum: INTAKE_KINDS }) @IsOptional() @IsIn(INTAKE_KINDS) kind?: string;
  @ApiPropertyOptional({ minimum: 0, default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) skip?: number;
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) take?: number;
}
