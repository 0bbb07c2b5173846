import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { runAs } from '@carrel/audit';
import type { StaffRequest } from './staff-token.guard.js';

/** Attributes everything a staff API call writes to the audit log to the token that made it. */
@Injectable()
export class AuditActorInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = ctx.switchToHttp().getRequest<StaffRequest & { method?: string; url?: string }>();
    if (!req?.staff) return next.handle();
    const actor = { actor: `staff-token:${req.staff.name}`, context: { tokenId: req.staff.tokenId, request: `${req.method} ${req.url}` } };
    return new Observable((subscriber) => runAs(actor, () => next.handle().subscribe(subscriber)));
  }
}
