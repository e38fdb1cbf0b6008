export * from './load-policies.js';
export * from './packs.js';
