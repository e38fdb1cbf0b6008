/** Test support for packs: temporary practices, files written from a map, the CLI run in-process, npm. */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { payrule, ROOT, type Run } from '../cli/run-payrule.js';

export { ROOT };

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempFolder(prefix: string): { dir: string; cleanup: () => void } {
    const dir = mkdtempSync(join(tmpdir(), `payrule-${prefix}-`));
    return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Writes each file (path relative to `root` -> text; objects as JSON). */
export function writeFiles(root: string, files: Record<string, string | object>): void {
    for (const [path, content] of Object.entries(files)) {
        const file = join(root, path);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
    }
}

/** The example code catalog pack, copied into `dest`. */
export function copyCatalogPack(dest: string): void {
    cpSync(join(ROOT, 'examples/packs/cpt-therapy'), dest, { recursive: true });
}

/** `payrule ARGS` run in-process with `cwd` as its working folder. */
export function run(cwd: string, ...args: string[]): Promise<Run> {
    return payrule(args, { cwd });
}

/** npm, offline and without lifecycle scripts: packs are data. */
export function npm(cwd: string, ...args: string[]): string {
    return execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', [...args, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd, encoding: 'utf8', shell: process.platform === 'win32',
        env: { ...process.env, npm_config_update_notifier: 'false', npm_config_loglevel: 'error' }
    });
}

/** An Ed25519 key pair written as PEM files `<name>.key.pem` and `<name>.pub.pem` in `dir`. */
export function writeKeyPair(dir: string, name: string): { privateKey: string; publicKey: string } {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const paths = { privateKey: join(dir, `${name}.key.pem`), publicKey: join(dir, `${name}.pub.pem`) };
    writeFileSync(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(paths.publicKey, publicKey.export({ type: 'spki', format: 'pem' }));
    return paths;
}

/** A small Medicare pack for practice A: pooled units, discipline modifiers, the KX threshold at `kx`. */
export function medicarePackSource(kx: string, version = '1.0.0'): string {
    return `/* Practice A's Medicare Part B therapy rules (a small pack for tests). */
package practice.a.medicare version "${version}"

import cpt.therapy

/** Medicare Part B outpatient therapy. */
payer Medicare id "medicare" {
    effective 2026-01-01 through 2026-12-31

    units units-match error pooled unit 15 minutes minimum 8 minutes
        source "Pub 100-04 Ch 5 s20.2"

    rule discipline-modifier error "{code} needs the {modifier} modifier"
        on every line where code in therapy
        require modifier GP when discipline is PT
        require modifier GO when discipline is OT
        require modifier GN when discipline is SLP
        source "Pub 100-04 Ch 5 s20.1"

    threshold kx error "Allowed PT and SLP amounts passed the KX threshold: append KX"
        when allowed this calendar year for PT and SLP exceeds ${kx}
        require modifier KX
        source "SSA 1833(g)"
}

test "38 minutes of therapeutic exercise are 3 units" {
    session payer "medicare" discipline PT
        line 97110 minutes 38 units 3 modifiers GP
    expect units 97110 = 3
    expect no errors
}
`;
}
