/**
 * Unpacks an npm tarball (.tgz) as data: regular files and folders only, every path inside the
 * destination, sizes bounded. Links, devices and paths that climb out refuse the whole tarball.
 * Nothing in it is run, and no install script is considered: this is not `npm install`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isInside } from '@payrule/language/packs';

export class TarballError extends Error {}

export interface TarballLimits {
    /** Unpacked bytes at most (the whole tar stream). */
    maxBytes: number;
    maxEntries: number;
}

const DEFAULT_LIMITS: TarballLimits = { maxBytes: 256 * 1024 * 1024, maxEntries: 20_000 };
const BLOCK = 512;

/**
 * Writes the tarball's files under `dest`, without their first folder (`package/` in npm
 * tarballs). Returns the files written, relative to `dest`.
 */
export function extractTarball(data: Buffer, dest: string, limits: TarballLimits = DEFAULT_LIMITS): string[] {
    let tar: Buffer;
    try {
        tar = isGzip(data) ? gunzipSync(data, { maxOutputLength: limits.maxBytes }) : data;
    } catch (error) {
        throw new TarballError(error instanceof RangeError ? `it unpacks to more than ${limits.maxBytes} bytes` : `it is not a gzip file (${(error as Error).message})`);
    }
    const root = resolve(dest);
    const written: string[] = [];
    let offset = 0;
    let entries = 0;
    let longName: string | undefined;
    let paxPath: string | undefined;
    while (offset + BLOCK <= tar.length) {
        const header = tar.subarray(offset, offset + BLOCK);
        if (header.every(byte => byte === 0)) break;
        if (++entries > limits.maxEntries) throw new TarballError(`it has more than ${limits.maxEntries} entries`);
        checkChecksum(header);
        const size = octal(header, 124, 12);
        const type = String.fromCharCode(header[156] || 48);
        const bodyStart = offset + BLOCK;
        const bodyEnd = bodyStart + size;
        if (bodyEnd > tar.length) throw new TarballError('it is truncated');
        const body = tar.subarray(bodyStart, bodyEnd);
        offset = bodyStart + Math.ceil(size / BLOCK) * BLOCK;

        if (type === 'L') { longName = cString(body, 0, body.length); continue; }
        if (type === 'x') { paxPath = paxValue(body, 'path') ?? paxPath; continue; }
        if (type === 'g') continue;
        const name = paxPath ?? longName ?? headerName(header);
        paxPath = undefined;
        longName = undefined;
        if (type !== '0' && type !== '5' && type !== '7') {
            throw new TarballError(`it holds "${name}", which is a ${KIND[type] ?? `type '${type}' entry`}: a pack holds only files and folders`);
        }
        const inner = innerPath(name);
        if (inner === undefined) continue;
        const target = resolve(root, inner);
        if (!isInside(root, target) || target === root) throw new TarballError(`it holds "${name}", a path outside the pack`);
        if (type === '5') {
            mkdirSync(target, { recursive: true });
            continue;
        }
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, body, { mode: 0o644, flag: 'wx' });
        written.push(inner);
    }
    return written;
}

const KIND: Record<string, string> = { '1': 'hard link', '2': 'symbolic link', '3': 'character device', '4': 'block device', '6': 'FIFO' };

/** The path without its first folder; refuses absolute paths and `..`. Undefined for the top folder itself. */
function innerPath(name: string): string | undefined {
    if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) throw new TarballError(`it holds "${name}", an absolute path`);
    const parts = name.split(/[\\/]+/).filter(part => part !== '' && part !== '.');
    if (parts.includes('..')) throw new TarballError(`it holds "${name}", a path that climbs out of the pack`);
    return parts.length > 1 ? join(...parts.slice(1)) : undefined;
}

function headerName(header: Buffer): string {
    const name = cString(header, 0, 100);
    const ustar = header.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? cString(header, 345, 155) : '';
    return prefix ? `${prefix}/${name}` : name;
}

function cString(buffer: Buffer, start: number, length: number): string {
    const slice = buffer.subarray(start, start + length);
    const end = slice.indexOf(0);
    return slice.subarray(0, end === -1 ? slice.length : end).toString('utf8');
}

function octal(buffer: Buffer, start: number, length: number): number {
    if ((buffer[start]! & 0x80) !== 0) throw new TarballError('it has an entry too large for a pack');
    const text = cString(buffer, start, length).trim();
    if (text === '') return 0;
    if (!/^[0-7]+$/.test(text)) throw new TarballError('its headers are damaged');
    return parseInt(text, 8);
}

function checkChecksum(header: Buffer): void {
    const recorded = octal(header, 148, 8);
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : header[i]!;
    if (sum !== recorded) throw new TarballError('its headers are damaged (checksum mismatch)');
}

function paxValue(body: Buffer, key: string): string | undefined {
    let value: string | undefined;
    let position = 0;
    while (position < body.length) {
        const space = body.indexOf(0x20, position);
        if (space === -1) break;
        const length = Number(body.subarray(position, space).toString('latin1'));
        if (!Number.isInteger(length) || length <= 0 || position + length > body.length) break;
        const record = body.subarray(space + 1, position + length - 1).toString('utf8');
        const equals = record.indexOf('=');
        if (record.slice(0, equals) === key) value = record.slice(equals + 1);
        position += length;
    }
    return value;
}

function isGzip(data: Buffer): boolean {
    return data.length > 2 && data[0] === 0x1f && data[1] === 0x8b;
}
