export * from './load-policies.js';
export * from './pack-files.js';
export * from './pack-manifest.js';
export * from './node-modules.js';
