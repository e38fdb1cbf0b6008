/**
 * The floor of the benchmark: read the NDJSON file and JSON.parse each line, nothing else.
 *
 *   node bench/floor.mjs sessions.ndjson
 */
import { closeSync, openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buffer = Buffer.allocUnsafe(1 << 22);
let rest = '';
let records = 0;
let bytes;
while ((bytes = readSync(fd, buffer, 0, buffer.length, null)) > 0) {
    const text = rest + buffer.toString('utf8', 0, bytes);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (nl > start) {
            JSON.parse(text.slice(start, nl));
            records++;
        }
        start = nl + 1;
    }
    rest = text.slice(start);
}
if (rest.trim() !== '') {
    JSON.parse(rest);
    records++;
}
closeSync(fd);
process.stderr.write(`${JSON.stringify({ records })}\n`);
