/** The command line as a library: the in-process runner and the report writers other commands reuse. */
export { runCli } from './run.js';
export type { CliIo, OutputStream } from './io.js';
export { EXIT_OK, EXIT_FINDINGS, EXIT_INVALID, CliError } from './errors.js';
export { exitCodeFor } from './commands/check.js';
export { formatDiagnostic } from './policy/diagnostics.js';
export * from './report/index.js';
