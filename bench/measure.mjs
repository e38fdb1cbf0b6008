/**
 * Runs a command as a child process and measures it: wall time, and peak resident memory of the
 * whole process (all its threads) from GNU time, or from /proc when GNU time is not installed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** @returns {Promise<{ wall: number, rssMB: number | undefined, code: number | null, stderr: string }>} */
export async function measure(command, args, { cwd } = {}) {
    const useTime = existsSync(GNU_TIME);
    const dir = mkdtempSync(join(tmpdir(), 'payrule-bench-'));
    const stats = join(dir, 'time.txt');
    const started = performance.now();
    const child = useTime
        ? spawn(GNU_TIME, ['-f', '%M', '-o', stats, command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', chunk => { stderr += chunk; });
    let peakKB;
    const poll = useTime ? undefined : setInterval(() => {
        try {
            const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) peakKB = Number(match[1]);
        } catch {
            // The process has just ended.
        }
    }, 20);
    const code = await new Promise(resolve => child.on('close', resolve));
    const wall = (performance.now() - started) / 1000;
    if (poll) clearInterval(poll);
    if (useTime && existsSync(stats)) {
        const kb = Number(readFileSync(stats, 'utf8').trim().split('\n').pop());
        if (Number.isFinite(kb)) peakKB = kb;
        // GNU time notes a non-zero exit on its first line; the command's own stderr is what matters.
        stderr = stderr.replace(/^Command exited with non-zero status \d+\n?/m, '');
    }
    rmSync(dir, { recursive: true, force: true });
    return { wall, rssMB: peakKB === undefined ? undefined : peakKB / 1024, code, stderr };
}
