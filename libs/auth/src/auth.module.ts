import { Module } from '@nestjs/common';
import { StaffTokenGuard } from './staff-token.guard.js';
import { StaffTokenService } from './staff-token.service.js';

@Module({ providers: [StaffTokenService, StaffTokenGuard], exports: [StaffTokenService, StaffTokenGuard] })
export class AuthModule {}
