/**
 * npm, run as a program for what it alone defines: which files a package ships (`files`,
 * .npmignore, the files npm always adds) and the tarball format. Always with --ignore-scripts,
 * so packing never runs a lifecycle script of the pack, and offline.
 */
import { execFile } from 'node:child_process';
import { CliError } from '../errors.js';

export interface NpmPackResult {
    filename: string;
    files: { path: string }[];
}

/** `npm pack --json` in `dir`: with `destination`, writes the tarball there; with `dryRun`, only lists. */
export async function npmPack(dir: string, options: { destination?: string; dryRun?: boolean }): Promise<NpmPackResult> {
    const args = ['pack', '--json', '--ignore-scripts', '--offline', '--no-fund', '--no-audit', '--no-update-notifier'];
    if (options.dryRun) args.push('--dry-run');
    if (options.destination) args.push('--pack-destination', options.destination);
    const stdout = await runNpm(args, dir);
    let parsed: unknown;
    try {
        parsed = JSON.parse(stdout);
    } catch {
        throw new CliError(`npm pack printed something other than JSON in ${dir}: ${stdout.slice(0, 200)}`);
    }
    const result = Array.isArray(parsed) ? parsed[0] as NpmPackResult | undefined : undefined;
    if (!result || typeof result.filename !== 'string' || !Array.isArray(result.files)) throw new CliError(`npm pack gave no result in ${dir}.`);
    return result;
}

function runNpm(args: string[], cwd: string): Promise<string> {
    const windows = process.platform === 'win32';
    return new Promise((resolvePromise, reject) => {
        execFile(windows ? 'npm.cmd' : 'npm', args, {
            cwd,
            shell: windows,
            maxBuffer: 64 * 1024 * 1024,
            env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false', npm_config_loglevel: 'error' }
        }, (error, stdout, stderr) => {
            if (error) {
                const code = (error as NodeJS.ErrnoException).code;
                if (code === 'ENOENT') reject(new CliError('npm was not found: payrule pack writes the tarball with npm pack (npm comes with Node.js).'));
                else reject(new CliError(`npm ${args[0]} failed in ${cwd}: ${(stderr || error.message).trim().split('\n').slice(-3).join(' ')}`));
                return;
            }
            resolvePromise(stdout);
        });
    });
}
