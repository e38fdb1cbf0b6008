import { describe, expect, it } from 'vitest';
import { ProgressBar, progressLine } from '../src/progress.js';

describe('the progress bar', () => {
    it('shows the share done, records per second and the time left, within the width', () => {
        const line = progressLine({ done: 50, total: 100, records: 250_000 }, 10_000, 100);
        expect(line).toMatch(/^\[#+-+\]  50%  250,000 records  25,000 records\/s  ETA 0:10$/);
        expect(line.length).toBeLessThan(100);
        expect(progressLine({ done: 0, total: 100, records: 0 }, 500, 80)).toContain('ETA --:--');
        expect(progressLine({ done: 1, total: 1000, records: 10 }, 3_600_000, 80)).toContain('ETA 999:00:00'.slice(0, 4));
    });

    it('waits a moment before drawing, redraws sparingly and erases itself', () => {
        let now = 0;
        let written = '';
        const bar = new ProgressBar({ write: text => { written += text; }, columns: 80 }, () => now);
        bar.update({ done: 1, total: 10, records: 5 });
        expect(written).toBe('');
        now = 1000;
        bar.update({ done: 2, total: 10, records: 10 });
        now = 1050;
        bar.update({ done: 3, total: 10, records: 15 });
        expect(written.split('\r').length - 1).toBe(1);
        expect(written).toContain(' 20%');
        bar.done();
        expect(written.endsWith('\r\u001b[K')).toBe(true);
    });
});
