/** Reads the entries of a zip archive (a .vsix) with Node alone: the central directory, stored or deflated entries. */
import { inflateRawSync } from 'node:zlib';

export function readZip(data: Buffer): Map<string, Buffer> {
    const end = data.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (end < 0) throw new Error('not a zip archive');
    const count = data.readUInt16LE(end + 10);
    let offset = data.readUInt32LE(end + 16);
    const entries = new Map<string, Buffer>();
    for (let i = 0; i < count; i++) {
        const method = data.readUInt16LE(offset + 10);
        const compressed = data.readUInt32LE(offset + 20);
        const nameLength = data.readUInt16LE(offset + 28);
        const extraLength = data.readUInt16LE(offset + 30);
        const commentLength = data.readUInt16LE(offset + 32);
        const local = data.readUInt32LE(offset + 42);
        const name = data.toString('utf8', offset + 46, offset + 46 + nameLength);
        const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
        const raw = data.subarray(start, start + compressed);
        entries.set(name, method === 0 ? Buffer.from(raw) : inflateRawSync(raw));
        offset += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}
