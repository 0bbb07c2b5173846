export { CatalogModule } from './catalog.module.js';
export { CatalogService, decodeStoredRecord, itemView, recordView } from './catalog.service.js';
export type { ItemInput, RecordView } from './catalog.service.js';
export { MarcImportService, bibRecordColumns } from './marc-import.service.js';
export type { MarcImportOptions, MarcImportReport } from './marc-import.service.js';
export { checkItemMappingSetting, resolveItemMapping } from './item-mapping.js';
export { ITEM_STATUSES, isItemStatus, kohaItemStatus, normalizeItemStatus } from './item-status.js';
export type { ItemStatus } from './item-status.js';
