/** The `payrule` executable: runs the command line against the real process and sets its exit code. */
import { setFlagsFromString } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { ProcessOutput } from './io.js';
import { runCli } from './run.js';

// A bundle of this file is also where `payrule check` worker threads start (the engine's chunk
// worker is inside it): only the main thread runs the command line.
if (isMainThread) {
    // The checking code's hot functions are large, and V8 inlines up to 920 bytes of bytecode into
    // each one it optimizes: optimizing took a third of the CPU time of a 100k-session check, done
    // again in every worker thread. With 300 it compiles a third less at the same speed once warm
    // (100k sessions 8% faster, 1M no slower). The setting is the process's: set here, before any
    // worker starts, the workers get it too. It changes nothing but how V8 optimizes.
    setFlagsFromString('--max-inlined-bytecode-size-cumulative=300');

    // A reader that stops early (`payrule check ... | head`) closes the pipe: the rest of the
    // output is dropped and the exit code is still the run's (io.ts).
    const stdout = new ProcessOutput(process.stdout);
    const code = await runCli(process.argv.slice(2), { stdout });
    process.exitCode = code;
    // Once every byte of output is out, exit at once: letting Node tear down the heap of a large
    // run first takes a while (70 ms after 100k sessions). Output still queued for a pipe is let
    // drain instead: exit() would cut it off. A turn of the event loop first, so that a warning
    // Node emits at the end is written too.
    setImmediate(() => {
        if (stdout.flushed && process.stderr.writableLength === 0) process.exit(code);
    });
}
