/**
 * Signing packs with a key the practice holds (Ed25519, node:crypto). The signature covers a
 * short statement naming the pack, its version and both digests, so it cannot be moved to
 * another pack or version, and any change to the compiled policy or the sources breaks it.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PackSignature } from '@payrule/language/packs';
import { CliError, describeFileError } from '../errors.js';

export interface SignedFields {
    name: string;
    version: string;
    integrity: string;
    sourceIntegrity: string;
}

/** The exact bytes signed. */
export function signedStatement(fields: SignedFields): Buffer {
    return Buffer.from([
        'payrule-pack-signature/1',
        `name: ${fields.name}`,
        `version: ${fields.version}`,
        `integrity: ${fields.integrity}`,
        `sourceIntegrity: ${fields.sourceIntegrity}`,
        ''
    ].join('\n'), 'utf8');
}

/** `sha256-<base64>` of the public key in SPKI DER: names the key in a signature and in messages. */
export function keyIdOf(key: KeyObject): string {
    const publicKey = key.type === 'private' ? createPublicKey(key) : key;
    return `sha256-${createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64')}`;
}

export function signPack(fields: SignedFields, privateKey: KeyObject): PackSignature {
    return { algorithm: 'ed25519', keyId: keyIdOf(privateKey), value: sign(null, signedStatement(fields), privateKey).toString('base64') };
}

export function signatureMatches(fields: SignedFields, signature: PackSignature, publicKey: KeyObject): boolean {
    try {
        return verify(null, signedStatement(fields), publicKey, Buffer.from(signature.value, 'base64'));
    } catch {
        return false;
    }
}

/** An Ed25519 private key from a PEM file (`openssl genpkey -algorithm ed25519 -out key.pem`). */
export function readPrivateKey(path: string): KeyObject {
    const key = readKey(path, text => createPrivateKey(text));
    if (key.asymmetricKeyType !== 'ed25519') throw new CliError(`'${path}' is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; payrule signs packs with Ed25519 keys.`);
    return key;
}

export interface TrustedKey {
    keyId: string;
    key: KeyObject;
    file: string;
}

/** An Ed25519 public key from a PEM file (a private key file works too: its public half is used). */
export function readTrustedKey(path: string): TrustedKey {
    const key = readKey(path, text => createPublicKey(text));
    if (key.asymmetricKeyType !== 'ed25519') throw new CliError(`'${path}' is a ${key.asymmetricKeyType ?? 'non-asymmetric'} key; pack signatures are Ed25519.`);
    return { keyId: keyIdOf(key), key, file: path };
}

function readKey(path: string, parse: (text: string) => KeyObject): KeyObject {
    let text: string;
    try {
        text = readFileSync(path, 'utf8');
    } catch (error) {
        throw new CliError(`cannot read key '${path}': ${describeFileError(error)}.`);
    }
    try {
        return parse(text);
    } catch (error) {
        throw new CliError(`'${path}' is not a PEM key (${(error as Error).message}).`);
    }
}
