export { AuditModule } from './audit.module.js';
export { AuditService, currentActor, runAs } from './audit.service.js';
export type { AuditActor, AuditRecord, Tx } from './audit.service.js';
