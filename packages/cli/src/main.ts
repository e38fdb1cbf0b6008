/** The `payrule` executable: runs the command line against the real process and sets its exit code. */
import { isMainThread } from 'node:worker_threads';
import { runCli } from './run.js';

// A bundle of this file is also where `payrule check` worker threads start (the engine's chunk
// worker is inside it): only the main thread runs the command line.
if (isMainThread) {
    // A reader that stops early (`payrule check ... | head`) closes the pipe: stop quietly, as Unix
    // tools do, instead of dying on an unhandled EPIPE with a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw error;
    });

    // exitCode rather than exit(): lets pending output (a large report on a pipe) drain first.
    process.exitCode = await runCli(process.argv.slice(2));
}
