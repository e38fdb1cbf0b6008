/**
 * Every session id seen in a run, with where it was first seen: a hash table over typed arrays,
 * exact (ids are compared in full) and a fraction of the memory a Map of a million strings takes.
 */

const EMPTY = 0;

export class IdIndex {
    /** The ids' UTF-16 code units, one after another. */
    private chars = new Uint16Array(1 << 16);
    private used = 0;
    /** Per entry: where its id starts in `chars` (and, one further, where it ends). */
    private starts = new Int32Array(1 << 12);
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
            const starts = new Int32Array(this.starts.length * 2);
            starts.set(this.starts);
            this.starts = starts;
            const values = new Int32Array(this.values.length * 2);
            values.set(this.values);
            this.values = values;
        }
        if (this.used + id.length > this.chars.length) {
            const chars = new Uint16Array(Math.max(this.chars.length * 2, this.used + id.length));
            chars.set(this.chars);
            this.chars = chars;
        }
        for (let i = 0; i < id.length; i++) this.chars[this.used + i] = id.charCodeAt(i);
        this.starts[entry] = this.used;
        this.used += id.length;
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
        if (this.starts[entry + 1]! - start !== id.length) return false;
        for (let i = 0; i < id.length; i++) if (this.chars[start + i] !== id.charCodeAt(i)) return false;
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
        for (let entry = 0; entry < this.count; entry++) {
            let h = 0x811c9dc5;
            for (let i = this.starts[entry]!; i < this.starts[entry + 1]!; i++) h = Math.imul(h ^ this.chars[i]!, 0x01000193);
            this.place(entry, h >>> 0);
        }
    }
}

/** FNV-1a over the code units. */
function hash(id: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
    return h >>> 0;
}
