/**
 * The digests that vouch for a pack: one of the compiled policy's exact bytes (`integrity`), one
 * of its sources (`sourceIntegrity`: each file's path in the pack and the digest of its bytes).
 * Written as `sha256-<base64>`, the form npm and browsers use for subresource integrity.
 */
import { createHash } from 'node:crypto';
import { relative, sep } from 'node:path';
import { readBytes } from '@payrule/language/packs';

export function integrityOf(bytes: Buffer | string): string {
    return `sha256-${createHash('sha256').update(bytes).digest('base64')}`;
}

/** Digest of the pack's source files: sorted `path<TAB>sha256 hex` lines, paths relative to the pack root with `/`. */
export function sourceIntegrityOf(root: string, files: string[]): string {
    const lines = files
        .map(file => ({ path: relative(root, file).split(sep).join('/'), digest: createHash('sha256').update(readBytes(file)).digest('hex') }))
        .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
        .map(entry => `${entry.path}\t${entry.digest}\n`);
    return integrityOf(lines.join(''));
}
