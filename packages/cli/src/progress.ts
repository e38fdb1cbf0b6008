/**
 * A progress bar for long runs, on standard error and only when it is a terminal: how much of the
 * input is done, records per second and the time left. Redrawn at most a few times a second,
 * shown only once a run has lasted a moment, and erased when the run ends.
 */
import type { OutputStream } from './io.js';

export interface ProgressState {
    /** Work done and to do, in any unit (input bytes). */
    done: number;
    total: number;
    /** Records handled so far. */
    records: number;
}

const REDRAW_MS = 200;
/** Runs shorter than this show no bar. */
export const SHOW_AFTER_MS = 700;

export class ProgressBar {
    private readonly started: number;
    private lastDraw = -Infinity;
    private drawn = false;

    constructor(
        private readonly stream: OutputStream & { columns?: number },
        private readonly now: () => number = Date.now,
        private readonly showAfter = SHOW_AFTER_MS
    ) {
        this.started = now();
    }

    update(state: ProgressState): void {
        const now = this.now();
        if (now - this.started < this.showAfter || now - this.lastDraw < REDRAW_MS) return;
        this.lastDraw = now;
        this.drawn = true;
        // A terminal that does not say its width (or says 0) gets 80 columns.
        const columns = this.stream.columns !== undefined && this.stream.columns > 0 ? this.stream.columns : 80;
        this.stream.write(`\r${progressLine(state, now - this.started, columns)}\u001b[K`);
    }

    /** Erases the bar, so what follows starts on a clean line. */
    done(): void {
        if (this.drawn) this.stream.write('\r\u001b[K');
        this.drawn = false;
    }
}

/** "[########--------]  52%  412,000 records  86,000 records/s  ETA 0:05", fitted to the width. */
export function progressLine(state: ProgressState, elapsedMs: number, columns: number): string {
    const fraction = state.total > 0 ? Math.min(1, state.done / state.total) : 0;
    const seconds = elapsedMs / 1000;
    const rate = seconds > 0 ? state.records / seconds : 0;
    const left = fraction > 0 ? seconds * (1 - fraction) / fraction : undefined;
    const text = `${String(Math.floor(fraction * 100)).padStart(3)}%  ${thousands(state.records)} records  ${thousands(Math.round(rate))} records/s  ETA ${left === undefined ? '--:--' : clock(left)}`;
    const barWidth = Math.max(10, Math.min(40, columns - text.length - 5));
    const filled = Math.round(fraction * barWidth);
    return `[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${text}`.slice(0, Math.max(20, columns - 1));
}

function thousands(value: number): string {
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function clock(seconds: number): string {
    const total = Math.ceil(seconds);
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const secs = String(total % 60).padStart(2, '0');
    return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${secs}` : `${minutes}:${secs}`;
}
