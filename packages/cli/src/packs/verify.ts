/**
 * Whether a pack may be used: its compiled policy and its sources still match the digests
 * recorded when it was packed, and, when the run asks for it, a trusted key signed it.
 * Fails closed: anything that cannot be confirmed refuses the pack.
 */
import { resolve } from 'node:path';
import { describePack, isInside, pathExists, readBytes, realPath, type FoundPack } from '@payrule/language/packs';
import { integrityOf, sourceIntegrityOf } from './digest.js';
import { signatureMatches, type TrustedKey } from './signing.js';

export interface PackTrust {
    /** Refuse packs that are not signed by one of `trustedKeys`. */
    requireSigned: boolean;
    /** Signatures of signed packs are checked against these (also without requireSigned). */
    trustedKeys: TrustedKey[];
}

export const NO_TRUST_REQUIRED: PackTrust = { requireSigned: false, trustedKeys: [] };

/** Why the pack is refused, or undefined. `display` names the pack's folder for the user. */
export function packRefusal(pack: FoundPack, sources: string[], trust: PackTrust, display: string): string | undefined {
    const who = describePack(pack, display);
    const manifest = pack.manifest;
    const built = manifest.compiled !== undefined || manifest.integrity !== undefined || manifest.sourceIntegrity !== undefined;
    if (built) {
        if (manifest.compiled === undefined || manifest.integrity === undefined || manifest.sourceIntegrity === undefined) {
            return `${who} is refused: its package.json records ${manifest.compiled === undefined ? 'no compiled policy' : manifest.integrity === undefined ? 'no integrity digest' : 'no source digest'}, `
                + `so its contents cannot be checked. Rebuild it with payrule pack.`;
        }
        const compiled = compiledPolicyFile(pack);
        if (!compiled.ok) return `${who} is refused: ${compiled.problem}`;
        const found = integrityOf(readBytes(compiled.path));
        if (found !== manifest.integrity) {
            return `${who} is refused: its compiled policy ${manifest.compiled} does not match the integrity digest in its package.json `
                + `(recorded ${manifest.integrity}, found ${found}). It was changed after it was packed.`;
        }
        const sourceDigest = sourceIntegrityOf(pack.root, sources);
        if (sourceDigest !== manifest.sourceIntegrity) {
            return `${who} is refused: its .payrule sources do not match the source digest in its package.json `
                + `(recorded ${manifest.sourceIntegrity}, found ${sourceDigest}). They were changed after it was packed.`;
        }
    }
    if (!trust.requireSigned && !(manifest.signature && trust.trustedKeys.length > 0)) return undefined;
    const signature = manifest.signature;
    if (!signature) return `${who} is refused: it is not signed, and --require-signed accepts only packs signed by a --trusted-key.`;
    if (!built || !pack.name || !pack.version) return `${who} is refused: it has a signature but no digests to sign (it was not built by payrule pack).`;
    const key = trust.trustedKeys.find(candidate => candidate.keyId === signature.keyId);
    if (!key) {
        return `${who} is refused: it is signed by key ${signature.keyId}, which is not one of the trusted keys (${trust.trustedKeys.map(k => k.file).join(', ') || 'none given'}).`;
    }
    const fields = { name: pack.name, version: pack.version, integrity: manifest.integrity!, sourceIntegrity: manifest.sourceIntegrity! };
    if (!signatureMatches(fields, signature, key.key)) {
        return `${who} is refused: its signature does not match its contents for key ${key.file}. The pack was changed after it was signed, or the signature is forged.`;
    }
    return undefined;
}

/** The compiled policy file of a pack, inside its folder (no absolute path, no `..`, no link out). */
export function compiledPolicyFile(pack: FoundPack): { ok: true; path: string } | { ok: false; problem: string } {
    const relativePath = pack.manifest.compiled!;
    const path = resolve(pack.root, relativePath);
    if (!isInside(pack.root, path) || relativePath.startsWith('/') || /^[A-Za-z]:/.test(relativePath)) {
        return { ok: false, problem: `its compiled policy "${relativePath}" is outside the pack's folder.` };
    }
    if (!pathExists(path)) return { ok: false, problem: `its compiled policy ${relativePath} is missing.` };
    if (!isInside(realPath(pack.root), realPath(path))) {
        return { ok: false, problem: `its compiled policy ${relativePath} is a link to a file outside the pack's folder.` };
    }
    return { ok: true, path };
}
