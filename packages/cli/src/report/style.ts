import { Chalk, type ChalkInstance } from 'chalk';
import type { Severity } from '@payrule/engine';

/** The few looks a report uses; with colour off every one returns its text unchanged. */
export interface Style {
    severity: Record<Severity, ChalkInstance>;
    heading: ChalkInstance;
    dim: ChalkInstance;
    good: ChalkInstance;
    bad: ChalkInstance;
    caution: ChalkInstance;
}

/** A private chalk instance, so one run's colour choice never leaks into another (or into tests). */
export function createStyle(color: boolean): Style {
    const chalk = new Chalk({ level: color ? 1 : 0 });
    return {
        severity: { error: chalk.red.bold, warning: chalk.yellow.bold, info: chalk.cyan.bold },
        heading: chalk.bold,
        dim: chalk.dim,
        good: chalk.green.bold,
        bad: chalk.red.bold,
        caution: chalk.yellow.bold
    };
}

/**
 * Colour only for a terminal, and never when the user said no (--no-color or NO_COLOR, see
 * no-color.org); FORCE_COLOR turns it on for pipes that render it (CI logs, `less -R`).
 */
export function wantsColor(options: { color?: boolean; isTTY?: boolean; env: Record<string, string | undefined> }): boolean {
    if (options.color === false) return false;
    if (options.env.NO_COLOR !== undefined && options.env.NO_COLOR !== '') return false;
    const force = options.env.FORCE_COLOR;
    if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
    return options.isTTY === true;
}
