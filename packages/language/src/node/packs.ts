/**
 * `@payrule/language/packs`: finding packs and policy files on disk, and the one door their reads
 * go through, without the language itself (no Langium). The command line loads this part on
 * every run and the language (`@payrule/language/node`) only when it compiles policy sources.
 */
export * from './file-reads.js';
export * from './node-modules.js';
export * from './pack-files.js';
export * from './pack-manifest.js';
