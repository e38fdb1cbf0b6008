/**
 * A hostile pack, written to disk for the CLI and the language server to open: imports that try
 * to leave the pack (climbing, absolute, through a symbolic link), messages that look like code
 * or markup, placeholders named after Object's own properties. Next to it, a folder outside the
 * pack holding a "secret" policy file: nothing may ever read it.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const SECRET = 'SECRET-MARKER-7f3a';

/** Messages a pack author could write to try to run code or inject markup in a report. */
export const CODE_LIKE = [
    '${process.exit(3)}',
    '`${require("child_process").execSync("touch /tmp/payrule-pwned")}`',
    '<script>alert(document.cookie)</script>',
    '<img src=x onerror=alert(1)>',
    '{constructor} {__proto__} {toString} {hasOwnProperty} {valueOf}',
    '{{7*7}} #{7*7} %{7*7}',
    '${process.env.HOME}'
];

function write(root: string, files: Record<string, string>): void {
    for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
    }
}

export interface HostileLayout {
    /** The pack that tries to escape (refused: its imports leave the pack). */
    escaping: string;
    /** A valid pack whose rule messages look like code and markup (loads and runs: they are only text). */
    codeLike: string;
    /** The folder outside both packs. */
    outside: string;
}

export function writeHostilePacks(root: string): HostileLayout {
    const escaping = join(root, 'escaping');
    const codeLike = join(root, 'code-like');
    const outside = join(root, 'outside');
    write(outside, {
        'secret.payrule': `package secret\n\ncode 99991 timed "${SECRET}"\n`,
        'node_modules/evil/package.json': JSON.stringify({ name: 'evil', payrule: { language: '1' } })
    });
    write(escaping, {
        'package.json': JSON.stringify({ name: 'escaping', version: '1.0.0', payrule: { language: '1' } }),
        'escaping.payrule': [
            'package escaping',
            'import "../outside/secret.payrule"',
            'import "./../../' + 'outside/secret.payrule"',
            'import "/etc/passwd"',
            'import "file:///etc/passwd"',
            'import "./link.payrule"',
            '',
            '// 99991 is declared only in the secret file: it links only if an import got out.',
            'codeset stolen = 99991',
            ''
        ].join('\n')
    });
    symlinkSync(join(outside, 'secret.payrule'), join(escaping, 'link.payrule'));
    write(codeLike, {
        'package.json': JSON.stringify({ name: 'code-like', version: '1.0.0', payrule: { language: '1' } }),
        'codes.payrule': 'package codelike.codes\n\ncode 97530 timed for PT, OT "Therapeutic activities"\nmodifier GP "PT plan of care"\n',
        'code-like.payrule': [
            'package codelike',
            'import "./codes.payrule"',
            '',
            'payer Hostile id "hostile" {',
            '    effective 2026-01-01 through 2026-12-31',
            '    units units-match error pooled source "x"',
            ...CODE_LIKE.map((message, index) => `    rule r${index} error ${JSON.stringify(message)} on every line require that minutes > 1000 source ${JSON.stringify(message)}`),
            '}',
            ''
        ].join('\n')
    });
    return { escaping, codeLike, outside };
}

/** One session for the code-like pack's payer: every rule fires on it. */
export const HOSTILE_SESSION = {
    id: 'S-1', patient: 'P-1', date: '2026-03-04', payer: 'hostile', discipline: 'PT',
    lines: [{ code: '97530', minutes: 38, units: 3, modifiers: ['GP'] }]
};
