export * from './models/index.js';
export * from './model-walk.js';
