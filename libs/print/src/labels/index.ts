export * from './templates.js';
export * from './barcode.js';
export * from './render.js';
