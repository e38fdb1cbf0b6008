/** The progress bar of `payrule check`: on a terminal's standard error during long runs, never elsewhere. */
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/cli/src/index.js';
import { ndjson, ROOT, scratch, sessions } from './sessions.js';

const files = scratch();
afterAll(() => files.remove());

async function run(args: string[], stderrIsTTY: boolean) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
        stdout: { write: (text: string) => { stdout += text; }, isTTY: false },
        stderr: { write: (text: string) => { stderr += text; }, isTTY: stderrIsTTY },
        stdin: Readable.from(['']),
        cwd: ROOT,
        // The bar shows from the start: the test must not depend on how long the run takes.
        env: { PAYRULE_PROGRESS_AFTER_MS: '0' }
    });
    return { code, stdout, stderr };
}

describe('payrule check progress', () => {
    const input = files.file('year.ndjson', ndjson(sessions(8000, 4)));

    it('draws a bar with records per second and the time left on a terminal, then erases it', async () => {
        const { code, stdout, stderr } = await run(['check', '--policy', 'examples/packs', '--format', 'json', input], true);
        expect(code).toBe(1);
        expect(JSON.parse(stdout).summary.records).toBe(8000);
        expect(stderr).toMatch(/\r\[[#-]+\] +\d+%  [\d,]+ records  [\d,]+ records\/s  ETA \d+:\d\d/);
        expect(stderr.endsWith('\r\u001b[K')).toBe(true);
    });

    it('writes nothing when standard error is not a terminal, or with --no-progress', async () => {
        expect((await run(['check', '--policy', 'examples/packs', '--format', 'json', input], false)).stderr).toBe('');
        expect((await run(['check', '--policy', 'examples/packs', '--format', 'json', '--no-progress', input], true)).stderr).toBe('');
    });
});
