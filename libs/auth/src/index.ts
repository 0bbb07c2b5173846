export { AuthModule } from './auth.module.js';
export { Public, StaffTokenGuard } from './staff-token.guard.js';
export type { StaffRequest } from './staff-token.guard.js';
export { StaffTokenService, hashToken } from './staff-token.service.js';
export type { StaffIdentity } from './staff-token.service.js';
export { AuditActorInterceptor } from './audit-actor.interceptor.js';
