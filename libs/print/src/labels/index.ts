export * from './templates.js';
export * from './barcode.js';
export * from './render.js';
export { LabelsService, MAX_LABELS } from './labels.service.js';
export type { LabelLines, ShelfRange } from './labels.service.js';
