/**
 * Every session id seen in a run, with where it was first seen: a hash table over typed arrays,
 * exact (ids are compared in full) and a fraction of the memory a Map of a million strings takes.
 */

const EMPTY = 0;

export class IdIndex {
    /**
     * The ids one after another: a byte per character for ids whose characters all fit in one
     * (Latin-1, nearly every id), two bytes per UTF-16 code unit for the others (marked `wide`).
     */
    private bytes = new Uint8Array(1 << 16);
    private used = 0;
    /** Per entry: where its id starts in `bytes` (and, one further, where it ends). */
    private starts = new Int32Array(1 << 12);
    /** Per entry: 1 when its id is stored two bytes a code unit. */
    private wide = new Uint8Array(1 << 12);
    /** Per entry: four whole numbers (up to 2^31) the caller keeps with the id. */
    private values = new Int32Array(4 << 12);
    private count = 0;
    /** Entry + 1 per slot, 0 when empty; the size is a power of two, at least twice the entries. */
    private table = new Int32Array(1 << 13);

    get size(): number {
        return this.count;
    }

    /** The entry of an id, or -1. */
    find(id: string): number {
        const mask = this.table.length - 1;
        for (let slot = hash(id) & mask; ; slot = (slot + 1) & mask) {
            const entry = this.table[slot]!;
            if (entry === EMPTY) return -1;
            if (this.equals(entry - 1, id)) return entry - 1;
        }
    }

    /** Adds an id known not to be there; returns its entry. */
    add(id: string): number {
        if ((this.count + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
        const entry = this.count++;
        if (entry + 1 >= this.starts.length) {
            this.starts = grown(this.starts, this.starts.length * 2);
            this.wide = grown(this.wide, this.wide.length * 2);
            this.values = grown(this.values, this.values.length * 2);
        }
        let wide = false;
        for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) > 0xff) wide = true;
        const size = wide ? 2 * id.length : id.length;
        if (this.used + size > this.bytes.length) this.bytes = grown(this.bytes, Math.max(this.bytes.length * 2, this.used + size));
        const bytes = this.bytes;
        if (wide) {
            for (let i = 0; i < id.length; i++) {
                const unit = id.charCodeAt(i);
                bytes[this.used + 2 * i] = unit & 0xff;
                bytes[this.used + 2 * i + 1] = unit >>> 8;
            }
        } else {
            for (let i = 0; i < id.length; i++) bytes[this.used + i] = id.charCodeAt(i);
        }
        this.starts[entry] = this.used;
        this.wide[entry] = wide ? 1 : 0;
        this.used += size;
        this.starts[entry + 1] = this.used;
        this.place(entry, hash(id));
        return entry;
    }

    value(entry: number, field: number): number {
        return this.values[entry * 4 + field]!;
    }

    setValue(entry: number, field: number, value: number): void {
        this.values[entry * 4 + field] = value;
    }

    private equals(entry: number, id: string): boolean {
        const start = this.starts[entry]!;
        const size = this.starts[entry + 1]! - start;
        const bytes = this.bytes;
        if (this.wide[entry]) {
            if (size !== 2 * id.length) return false;
            for (let i = 0; i < id.length; i++) if ((bytes[start + 2 * i]! | (bytes[start + 2 * i + 1]! << 8)) !== id.charCodeAt(i)) return false;
            return true;
        }
        if (size !== id.length) return false;
        // A character above 0xff never equals a byte: a wide id never matches a narrow entry.
        for (let i = 0; i < id.length; i++) if (bytes[start + i] !== id.charCodeAt(i)) return false;
        return true;
    }

    private place(entry: number, h: number): void {
        const mask = this.table.length - 1;
        let slot = h & mask;
        while (this.table[slot] !== EMPTY) slot = (slot + 1) & mask;
        this.table[slot] = entry + 1;
    }

    private rehash(size: number): void {
        this.table = new Int32Array(size);
        const bytes = this.bytes;
        for (let entry = 0; entry < this.count; entry++) {
            let h = 0x811c9dc5;
            const end = this.starts[entry + 1]!;
            if (this.wide[entry]) {
                for (let i = this.starts[entry]!; i < end; i += 2) h = Math.imul(h ^ (bytes[i]! | (bytes[i + 1]! << 8)), 0x01000193);
            } else {
                for (let i = this.starts[entry]!; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
            }
            this.place(entry, h >>> 0);
        }
    }
}

/** A copy of `array` with room for `size` items. */
function grown<T extends Uint8Array | Int32Array>(array: T, size: number): T {
    const copy = new (array.constructor as new (size: number) => T)(size);
    copy.set(array);
    return copy;
}

/** FNV-1a over the code units. */
function hash(id: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    return h >>> 0;
}
