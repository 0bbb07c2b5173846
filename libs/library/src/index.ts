export { LibraryModule } from './library.module.js';
export { LibraryService } from './library.service.js';
export type { BranchInput } from './library.service.js';
export { CodeResolver, MissingCodeError } from './code-resolver.js';
export type { CodeKind } from './code-resolver.js';
