import { Injectable, SetMetadata, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { StaffTokenService, type StaffIdentity } from './staff-token.service.js';

const PUBLIC = 'carrel:public';
/** Marks a route that needs no staff token (health, API docs). */
export const Public = () => SetMetadata(PUBLIC, true);

export interface StaffRequest {
  headers: Record<string, string | string[] | undefined>;
  staff?: StaffIdentity;
}

/** Every staff API call carries `Authorization: Bearer <token>` with a token from `carrel token create`. */
@Injectable()
export class StaffTokenGuard implements CanActivate {
  constructor(
    private readonly tokens: StaffTokenService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, [ctx.getHandler(), ctx.getClass()])) return true;
    const req = ctx.switchToHttp().getRequest<StaffRequest>();
    const header = req.headers.authorization;
    const value = Array.isArray(header) ? header[0] : header;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(value ?? '');
    if (!match) throw new UnauthorizedException('staff API token required: Authorization: Bearer <token> (create one with `carrel token create NAME`)');
    const staff = await this.tokens.verify(match[1]);
    if (!staff) throw new UnauthorizedException('staff API token not recognised or revoked');
    req.staff = staff;
    return true;
  }
}
