export * from './load-policies.js';
export * from './pack-files.js';
