export * from './payrule-module.js';
export * from './compiler/compile-policy.js';
export * from './workspace/payer-inheritance.js';
export * from './workspace/package-index.js';
export * from './generated/ast.js';
export * from './generated/module.js';
export type * from './lsp/check-protocol.js';
