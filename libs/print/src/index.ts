export * from './pdf/document.js';
