/**
 * Runs a command as a child process and measures it: wall time, and peak resident memory and CPU
 * time (user + system) of the whole process, all its threads, from GNU time, or from /proc when
 * GNU time is not installed. CPU time over wall time says how many cores the run kept busy.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const GNU_TIME = '/usr/bin/time';

/** @returns {Promise<{ wall: number, rssMB: number | undefined, cpu: number | undefined, code: number | null, stderr: string }>} */
export async function measure(command, args, { cwd } = {}) {
    const useTime = existsSync(GNU_TIME);
    const dir = mkdtempSync(join(tmpdir(), 'payrule-bench-'));
    const stats = join(dir, 'time.txt');
    const started = performance.now();
    const child = useTime
        ? spawn(GNU_TIME, ['-f', '%M %U %S', '-o', stats, command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', chunk => { stderr += chunk; });
    let peakKB;
    let cpu;
    const poll = useTime ? undefined : setInterval(() => {
        try {
            const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) peakKB = Number(match[1]);
            // utime and stime, in clock ticks (100 a second on Linux), the last seen before the end.
            const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
            const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
            cpu = (Number(fields[11]) + Number(fields[12])) / 100;
        } catch {
            // The process has just ended.
        }
    }, 20);
    const code = await new Promise(resolve => child.on('close', resolve));
    const wall = (performance.now() - started) / 1000;
    if (poll) clearInterval(poll);
    if (useTime && existsSync(stats)) {
        const [kb, user, system] = readFileSync(stats, 'utf8').trim().split('\n').pop().split(' ').map(Number);
        if (Number.isFinite(kb)) peakKB = kb;
        if (Number.isFinite(user) && Number.isFinite(system)) cpu = user + system;
        // GNU time notes a non-zero exit on its first line; the command's own stderr is what matters.
        stderr = stderr.replace(/^Command exited with non-zero status \d+\n?/m, '');
    }
    rmSync(dir, { recursive: true, force: true });
    return { wall, rssMB: peakKB === undefined ? undefined : peakKB / 1024, cpu, code, stderr };
}
