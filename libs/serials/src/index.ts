export * from './marc-text.js';
export * from './prediction/index.js';
export * from './holdings/index.js';
export * from './claims/index.js';
