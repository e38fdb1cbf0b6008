/** The line a refusal of text that is not UTF-8 names, whatever the line ends and wherever the reads split the bytes. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkedUtf8 } from '../src/index.js';

async function refusal(chunks: Buffer[]): Promise<string> {
    try {
        for await (const _text of checkedUtf8(Readable.from(chunks), 'week.csv')) { /* read through */ }
    } catch (error) {
        return (error as Error).message;
    }
    return 'read as UTF-8';
}

describe('text that is not UTF-8', () => {
    const latin1 = (text: string) => Buffer.from(text, 'latin1');

    it('names the line with a Latin-1 byte, for \\n, \\r\\n and lone \\r line ends', async () => {
        for (const end of ['\n', '\r\n', '\r']) {
            expect(await refusal([latin1(`h1${end}row2${end}row3 \u00e9${end}`)]), JSON.stringify(end)).toContain('line 3 has characters in another encoding');
        }
    });

    it('counts a \\r\\n split between two reads once', async () => {
        expect(await refusal([latin1('h1\r\nrow2\r'), latin1('\nrow3 \u00e9\r\n')])).toContain('line 3 has characters in another encoding');
        expect(await refusal([latin1('h1\r\nrow2\r'), latin1('\nrow3\r\n'), latin1('row4 \u00e9\r\n')])).toContain('line 4 has characters in another encoding');
    });
});
