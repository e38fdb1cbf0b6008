/**
 * `payrule pack [DIR] [-o OUTDIR] [--sign KEY.pem]`: builds a rule pack for others. Validates and
 * compiles its sources, runs its own tests, then writes the npm tarball with the compiled policy,
 * its digests and (with --sign) an Ed25519 signature in the manifest. Exit 0 when the tarball is
 * written, 1 when a test fails, 2 when the pack or the command is invalid.
 */
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { EXIT_FINDINGS, EXIT_INVALID, EXIT_OK } from '../errors.js';
import type { CliIo } from '../io.js';
import {
    loadAuthorPack, ownDeclarations, readAuthorPack, runOwnTests, undeclaredDependencies, versionMismatch, withOwnTests, writePackTarball
} from '../packs/build.js';
import { readPrivateKey } from '../packs/signing.js';
import { reportPolicyProblems } from '../policy/diagnostics.js';
import { writeTestText } from '../test-report/test-text.js';

export interface PackOptions {
    output?: string;
    sign?: string;
}

export async function runPack(dir: string | undefined, options: PackOptions, io: CliIo): Promise<number> {
    const display = (file: string) => {
        const rel = relative(io.cwd, file);
        return rel === '' ? '.' : (rel.startsWith('..') ? file : rel).split(sep).join('/');
    };
    const root = resolve(io.cwd, dir ?? '.');
    const signingKey = options.sign ? readPrivateKey(resolve(io.cwd, options.sign)) : undefined;
    const { pack, sources } = readAuthorPack(root, display(root));

    const loaded = await loadAuthorPack(pack, sources, io.cwd, display);
    if (reportPolicyProblems({ diagnostics: loaded.diagnostics, problems: [], ...(loaded.bundle ? { bundle: loaded.bundle } : {}) }, io.stderr) || !loaded.bundle) {
        io.stderr.write(`payrule pack: ${pack.name} has errors; nothing was packed.\n`);
        return EXIT_INVALID;
    }
    const bundle = loaded.bundle;
    const declarations = ownDeclarations(pack, loaded, bundle);
    const listed = pack.manifest.packages;
    if (listed && [...listed].sort().join(',') !== declarations.packages.join(',')) {
        io.stderr.write(`payrule pack: package.json lists payrule.packages ${JSON.stringify(listed)}, but the sources declare ${JSON.stringify(declarations.packages)}: `
            + 'correct the list or leave it out (payrule pack fills it in).\n');
        return EXIT_INVALID;
    }
    const mismatch = versionMismatch(pack, loaded, display);
    if (mismatch) {
        io.stderr.write(`payrule pack: ${mismatch} Nothing was packed.\n`);
        return EXIT_INVALID;
    }
    for (const warning of undeclaredDependencies(pack, loaded, display)) io.stderr.write(`payrule pack: warning: ${warning}\n`);

    const tests = runOwnTests(pack, bundle);
    if (tests.summary.failed > 0) {
        // Only the failures: the passing tests would bury them.
        io.stderr.write(writeTestText({ ...tests, outcomes: tests.outcomes.filter(outcome => !outcome.passed) }, { color: false, coverage: false }));
        io.stderr.write(`payrule pack: ${tests.summary.failed} of ${tests.summary.total} tests of ${pack.name} failed; nothing was packed.\n`);
        return EXIT_FINDINGS;
    }

    // -o names a folder for npm's own file name, or (ending in .tgz) the tarball itself: then npm packs into a folder of
    // its own beside it, so that a tarball of npm's name already there is left alone.
    const named = options.output?.endsWith('.tgz') ? resolve(io.cwd, options.output) : undefined;
    if (named) mkdirSync(dirname(named), { recursive: true });
    const outDir = named ? mkdtempSync(join(dirname(named), '.payrule-pack-')) : resolve(io.cwd, options.output ?? '.');
    let output;
    try {
        output = await writePackTarball({ pack, sources, bundle: withOwnTests(pack, bundle), declarations, outDir, ...(signingKey ? { signingKey } : {}) });
        if (named) {
            renameSync(output.tarball, named);
            output = { ...output, tarball: named };
        }
    } finally {
        if (named) rmSync(outDir, { recursive: true, force: true });
    }
    const manifest = output.manifest;
    io.stdout.write([
        `packed ${pack.name}@${pack.version}: ${display(output.tarball)}`,
        `  packages   ${declarations.packages.join(', ') || '(none)'}`,
        `  payers     ${declarations.payers.join(', ') || '(none)'}`,
        `  tests      ${tests.summary.total > 0 ? `${tests.summary.passed} passed` : 'none: write some in a *.tests.payrule file, so that what the pack finds is checked before it ships'}`,
        `  files      ${output.files.length} (${manifest.compiled} compiled, ${sources.length} sources)`,
        `  integrity  ${manifest.integrity}`,
        `  signed     ${manifest.signature ? `by key ${manifest.signature.keyId}` : 'no (sign with --sign KEY.pem)'}`,
        ''
    ].join('\n'));
    return EXIT_OK;
}
