/**
 * Every refusal of a pack, each with a clear message and exit 2: tampered compiled policy or
 * sources, bad or missing signatures under --require-signed, imports escaping the pack's folder
 * (relative, absolute, symbolic link), cyclic imports, missing packs, an incompatible language,
 * and tarballs that hold links or climbing paths.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, sign } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractTarball } from '../../packages/cli/src/packs/tarball.js';
import { expectOneLine } from '../cli/run-payrule.js';
import { medicarePackSource, ROOT, run, tempFolder, writeFiles, writeKeyPair } from './pack-fixtures.js';

const temp = tempFolder('refusals');
const AUTHOR = join(temp.dir, 'author');
let signer: { privateKey: string; publicKey: string };
let stranger: { privateKey: string; publicKey: string };
let projectCount = 0;

const SESSIONS = [{
    id: 'S-1', patient: 'P-1', date: '2026-03-02', payer: 'medicare', discipline: 'PT',
    lines: [{ code: '97110', minutes: 30, units: 2, modifiers: ['GP'] }]
}];

/** A project of the practice that installs the pack: package.json, sessions, a policy extending the pack's payer. */
function project(install: 'signed' | 'unsigned' | 'none' = 'signed'): string {
    const dir = join(temp.dir, `project-${++projectCount}`);
    writeFiles(dir, {
        'package.json': { name: `project-${projectCount}`, version: '1.0.0', private: true },
        'sessions.json': SESSIONS,
        'policies/contract.payrule': 'package practice.contract\nimport practice.a.medicare\n\npayer Contract id "contract" extends Medicare {\n    effective 2026-01-01 through 2026-12-31\n}\n'
    });
    if (install !== 'none') installTarball(dir, join(AUTHOR, `dist-${install}/t-rules-1.0.0.tgz`), '@t/rules');
    return dir;
}

/** What `npm install x.tgz` puts in node_modules, without npm (speed): the tarball's files. */
function installTarball(dir: string, tarball: string, name: string): string {
    const target = join(dir, 'node_modules', ...name.split('/'));
    mkdirSync(target, { recursive: true });
    extractTarball(readFileSync(tarball), target);
    return target;
}

function editJson(file: string, edit: (json: Record<string, any>) => void): void {
    const json = JSON.parse(readFileSync(file, 'utf8'));
    edit(json);
    writeFileSync(file, JSON.stringify(json, null, 2));
}

beforeAll(async () => {
    signer = writeKeyPair(temp.dir, 'signer');
    stranger = writeKeyPair(temp.dir, 'stranger');
    writeFiles(AUTHOR, {
        'package.json': { name: '@t/rules', version: '1.0.0', payrule: { language: '1' } },
        'medicare.payrule': medicarePackSource('$2,480.00')
    });
    cpSync(join(ROOT, 'examples/packs/cpt-therapy/therapy-codes.payrule'), join(AUTHOR, 'codes/therapy-codes.payrule'));
    const signed = await run(AUTHOR, 'pack', '-o', 'dist-signed', '--sign', signer.privateKey);
    expect(signed.code, signed.stderr).toBe(0);
    const unsigned = await run(AUTHOR, 'pack', '-o', 'dist-unsigned');
    expect(unsigned.code, unsigned.stderr).toBe(0);
});

afterAll(() => temp.cleanup());

describe('a pack as it was packed is accepted', () => {
    it('installed and signed: checked with --require-signed, through an import and by name', async () => {
        const dir = project('signed');
        const viaImport = await run(dir, 'check', '--policy', 'policies', '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(viaImport.stderr).toBe('');
        expect(viaImport.code).toBe(0);
        const byName = await run(dir, 'check', '--policy', '@t/rules', '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(byName.code, byName.stderr).toBe(0);
        const compiled = await run(dir, 'check', '--policy', 'node_modules/@t/rules/payrule/policy.json', '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(compiled.code, compiled.stderr).toBe(0);
    });
});

describe('integrity', () => {
    it('refuses a pack whose compiled policy was changed after packing', async () => {
        const dir = project('signed');
        const ir = join(dir, 'node_modules/@t/rules/payrule/policy.json');
        writeFileSync(ir, readFileSync(ir, 'utf8').replace('"amount": 2480', '"amount": 9999'));
        for (const policy of ['@t/rules', 'node_modules/@t/rules/payrule/policy.json']) {
            const result = await run(dir, 'check', '--policy', policy, 'sessions.json');
            expect(result.code).toBe(2);
            expect(expectOneLine(result.stderr)).toMatch(/^payrule: @t\/rules@1\.0\.0 \(node_modules\/@t\/rules\) is refused: its compiled policy payrule\/policy\.json does not match the integrity digest in its package\.json \(recorded sha256-.+, found sha256-.+\)\. It was changed after it was packed\.$/);
        }
        const viaImport = await run(dir, 'check', '--policy', 'policies', 'sessions.json');
        expect(viaImport.code).toBe(2);
        expect(viaImport.stderr).toMatch(/^policies\/contract\.payrule:2:1: error: @t\/rules@1\.0\.0 \(node_modules\/@t\/rules\) is refused: its compiled policy/m);
    });

    it('refuses a pack whose sources were changed after packing', async () => {
        const dir = project('signed');
        const source = join(dir, 'node_modules/@t/rules/medicare.payrule');
        writeFileSync(source, readFileSync(source, 'utf8').replace('$2,480.00', '$9,999.00'));
        const result = await run(dir, 'check', '--policy', 'policies', 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('is refused: its .payrule sources do not match the source digest in its package.json');
    });

    it('refuses a tampered tarball', async () => {
        const dir = project('none');
        const unpacked = join(dir, 'unpacked');
        mkdirSync(unpacked);
        execFileSync('tar', ['xzf', join(AUTHOR, 'dist-signed/t-rules-1.0.0.tgz'), '-C', unpacked]);
        const ir = join(unpacked, 'package/payrule/policy.json');
        writeFileSync(ir, readFileSync(ir, 'utf8').replace('"severity": "error"', '"severity": "info"'));
        execFileSync('tar', ['czf', join(dir, 'tampered.tgz'), '-C', unpacked, 'package']);
        const result = await run(dir, 'check', '--policy', 'tampered.tgz', 'sessions.json');
        expect(result.code).toBe(2);
        expect(expectOneLine(result.stderr)).toMatch(/^payrule: @t\/rules@1\.0\.0 \(tampered\.tgz\) is refused: its compiled policy payrule\/policy\.json does not match the integrity digest/);
    });
});

describe('signatures with --require-signed', () => {
    it('refuses an unsigned pack', async () => {
        const dir = project('unsigned');
        const result = await run(dir, 'check', '--policy', '@t/rules', '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(result.code).toBe(2);
        expect(expectOneLine(result.stderr)).toBe('payrule: @t/rules@1.0.0 (node_modules/@t/rules) is refused: it is not signed, and --require-signed accepts only packs signed by a --trusted-key.');
        const tarball = await run(dir, 'check', '--policy', join(AUTHOR, 'dist-unsigned/t-rules-1.0.0.tgz'), '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(tarball.code).toBe(2);
        expect(tarball.stderr).toContain('is refused: it is not signed');
    });

    it('refuses a pack signed by a key that is not trusted', async () => {
        const dir = project('signed');
        const result = await run(dir, 'check', '--policy', 'policies', '--require-signed', '--trusted-key', stranger.publicKey, 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(/policies\/contract\.payrule:2:1: error: @t\/rules@1\.0\.0 \(node_modules\/@t\/rules\) is refused: it is signed by key sha256-\S+, which is not one of the trusted keys \(.*stranger\.pub\.pem\)\./);
    });

    it('refuses a forged signature, and a signed pack whose manifest was edited', async () => {
        const forged = project('signed');
        const manifest = join(forged, 'node_modules/@t/rules/package.json');
        // The stranger signs the same statement under the signer's key id.
        editJson(manifest, json => {
            json.payrule.signature.value = sign(null, Buffer.from('payrule-pack-signature/1\n'), createPrivateKey(readFileSync(stranger.privateKey))).toString('base64');
        });
        const result = await run(forged, 'check', '--policy', '@t/rules', '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(result.code).toBe(2);
        expect(expectOneLine(result.stderr)).toMatch(/is refused: its signature does not match its contents for key .*signer\.pub\.pem\. The pack was changed after it was signed, or the signature is forged\.$/);

        const relabeled = project('signed');
        editJson(join(relabeled, 'node_modules/@t/rules/package.json'), json => { json.version = '9.9.9'; });
        const bumped = await run(relabeled, 'check', '--policy', '@t/rules', '--require-signed', '--trusted-key', signer.publicKey, 'sessions.json');
        expect(bumped.code).toBe(2);
        expect(bumped.stderr).toContain('@t/rules@9.9.9 (node_modules/@t/rules) is refused: its signature does not match its contents');
    });

    it('needs a trusted key to require signatures', async () => {
        const result = await run(project('signed'), 'check', '--policy', '@t/rules', '--require-signed', 'sessions.json');
        expect(result.code).toBe(2);
        expect(expectOneLine(result.stderr)).toBe('payrule: --require-signed needs the public key of at least one signer: --trusted-key KEY.pem.');
    });
});

describe('imports stay inside the pack', () => {
    const evilPack = (dir: string, imports: string) => writeFiles(dir, {
        'outside.payrule': 'package stolen.rules\n',
        'evil/package.json': { name: '@t/evil', version: '1.0.0', payrule: { language: '1' } },
        'evil/rules.payrule': `package evil.rules\n\n${imports}\n`
    });

    it('refuses a relative import that climbs out of the pack', async () => {
        const dir = project('none');
        evilPack(dir, 'import "../outside.payrule"');
        const result = await run(dir, 'check', '--policy', 'evil', 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('evil/rules.payrule:3:1: error: Import "../outside.payrule" reaches outside the pack\'s folder (evil): a policy imports only files of its own pack, and other packs by name.');
    });

    it('refuses an absolute import', async () => {
        const dir = project('none');
        const outside = join(dir, 'outside.payrule').split('\\').join('/');
        evilPack(dir, `import "${outside}"`);
        const result = await run(dir, 'check', '--policy', 'evil', 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`evil/rules.payrule:3:1: error: Import "${outside}" is an absolute path: import files by a path relative to this file ("./..."), or packs by name.`);
    });

    it('refuses an import through a symbolic link that leads out of the pack', async (context) => {
        const dir = project('none');
        evilPack(dir, 'import "./link.payrule"');
        try {
            symlinkSync('../outside.payrule', join(dir, 'evil/link.payrule'));
        } catch {
            context.skip(); // no symbolic links here (Windows without the privilege)
        }
        const result = await run(dir, 'check', '--policy', 'evil', 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('evil/rules.payrule:3:1: error: Import "./link.payrule" is a symbolic link to a file outside the pack\'s folder (evil): refused.');

        // A manifest listing the link as a source is refused as well.
        writeFiles(dir, { 'evil/package.json': { name: '@t/evil', version: '1.0.0', payrule: { language: '1', sources: ['rules.payrule', 'link.payrule'] } } });
        const listed = await run(dir, 'check', '--policy', 'evil', 'sessions.json');
        expect(listed.code).toBe(2);
        expect(expectOneLine(listed.stderr)).toContain('source link.payrule is a link to a file outside the pack\'s folder');
    });

    it('allows relative imports inside the pack', async () => {
        const dir = project('none');
        writeFiles(dir, {
            'good/package.json': { name: '@t/good', version: '1.0.0', payrule: { language: '1' } },
            'good/payer.payrule': 'package good.rules\nimport "./codes/codes.payrule"\n\npayer Good id "medicare" {\n    units units-match error pooled\n}\n'
        });
        cpSync(join(ROOT, 'examples/packs/cpt-therapy/therapy-codes.payrule'), join(dir, 'good/codes/codes.payrule'));
        const result = await run(dir, 'check', '--policy', 'good/payer.payrule', 'sessions.json');
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
    });
});

describe('cycles, missing packs, languages', () => {
    it('refuses installed packs that import each other', async () => {
        const dir = project('none');
        writeFiles(dir, {
            'node_modules/@t/x/package.json': { name: '@t/x', version: '1.0.0', payrule: { language: '1', packages: ['x.pack'] } },
            'node_modules/@t/x/x.payrule': 'package x.pack\nimport y.pack\n',
            'node_modules/@t/y/package.json': { name: '@t/y', version: '1.0.0', payrule: { language: '1', packages: ['y.pack'] } },
            'node_modules/@t/y/y.payrule': 'package y.pack\nimport x.pack\n',
            'policies/contract.payrule': 'package practice.contract\nimport x.pack\n'
        });
        const result = await run(dir, 'check', '--policy', 'policies', 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain('node_modules/@t/x/x.payrule:2:1: error: Import cycle: x.pack -> y.pack -> x.pack.');
    });

    it('refuses a missing pack, by package name, by npm name, and on the command line', async () => {
        const dir = project('none');
        writeFiles(dir, { 'policies/contract.payrule': 'package practice.contract\nimport cms.nowhere\nimport "@t/nowhere"\n' });
        const result = await run(dir, 'check', '--policy', 'policies', 'sessions.json');
        expect(result.code).toBe(2);
        expect(result.stderr).toContain("policies/contract.payrule:2:8: error: Cannot find the package 'cms.nowhere'. Load its pack folder with --policy, install the pack that provides it (npm install), or check the name.");
        expect(result.stderr).toContain('policies/contract.payrule:3:8: error: Cannot find the installed pack "@t/nowhere": install it (npm install @t/nowhere) or check the name.');

        const named = await run(dir, 'check', '--policy', '@t/nowhere', 'sessions.json');
        expect(named.code).toBe(2);
        expect(expectOneLine(named.stderr)).toBe("payrule: cannot read policy '@t/nowhere': no such file or folder, and no installed pack of that name (npm install @t/nowhere).");
    });

    it('refuses a pack written for another language version', async () => {
        const dir = project('none');
        writeFiles(dir, {
            'node_modules/@t/future/package.json': { name: '@t/future', version: '3.0.0', payrule: { language: '2', packages: ['future.pack'] } },
            'node_modules/@t/future/future.payrule': 'package future.pack\n',
            'policies/contract.payrule': 'package practice.contract\nimport future.pack\n'
        });
        const expected = '@t/future@3.0.0 (node_modules/@t/future) is written in Payrule language "2", but this payrule reads language "1": '
            + 'install a version of the pack made for language 1, or a payrule that reads "2".';
        const viaImport = await run(dir, 'check', '--policy', 'policies', 'sessions.json');
        expect(viaImport.code).toBe(2);
        expect(viaImport.stderr).toContain(`policies/contract.payrule:2:1: error: ${expected}`);
        const direct = await run(dir, 'check', '--policy', '@t/future', 'sessions.json');
        expect(direct.code).toBe(2);
        expect(expectOneLine(direct.stderr)).toBe(`payrule: ${expected}`);
    });
});

describe('tarballs are data', () => {
    it('refuses a tarball holding a symbolic link or a path that climbs out', async () => {
        const dir = project('none');
        writeFiles(dir, { 'src/package/package.json': { name: '@t/links', version: '1.0.0', payrule: { language: '1' } } });
        try {
            symlinkSync('/etc/passwd', join(dir, 'src/package/rules.payrule'));
        } catch {
            return; // no symbolic links on this system
        }
        execFileSync('tar', ['czf', join(dir, 'links.tgz'), '-C', join(dir, 'src'), 'package']);
        const links = await run(dir, 'check', '--policy', 'links.tgz', 'sessions.json');
        expect(links.code).toBe(2);
        expect(expectOneLine(links.stderr)).toBe('payrule: cannot use pack tarball \'links.tgz\': it holds "package/rules.payrule", which is a symbolic link: a pack holds only files and folders.');

        writeFiles(dir, { 'climb/package/package.json': { name: '@t/climb', version: '1.0.0', payrule: { language: '1' } } });
        execFileSync('tar', ['czf', join(dir, 'climb.tgz'), '-C', join(dir, 'climb'), '--transform', 's,^package/package.json,package/../../escaped.json,', 'package/package.json']);
        const climb = await run(dir, 'check', '--policy', 'climb.tgz', 'sessions.json');
        expect(climb.code).toBe(2);
        expect(expectOneLine(climb.stderr)).toBe('payrule: cannot use pack tarball \'climb.tgz\': it holds "package/../../escaped.json", a path that climbs out of the pack.');
    });
});
