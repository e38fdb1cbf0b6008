/** Exit codes of DATA.md §3: fixed, scripts and CI depend on them. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INVALID = 2;

/**
 * A problem with the command, the policy or an input that the user can fix: reported as one
 * line on standard error, never as a stack trace.
 */
export class CliError extends Error {
    constructor(message: string, readonly exitCode: number = EXIT_INVALID) {
        super(message);
        this.name = 'CliError';
    }
}

/** The reason a file could not be read or written, in words, from a Node file-system error. */
export function describeFileError(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    switch (code) {
        case 'ENOENT': return 'no such file or folder';
        case 'EACCES':
        case 'EPERM': return 'permission denied';
        case 'EISDIR': return 'it is a folder, not a file';
        case 'ENOTDIR': return 'a part of the path is not a folder';
        default: return error instanceof Error ? error.message : String(error);
    }
}

/** Whether an error came from the file system (and so is the user's to fix, not a bug). */
export function isFileError(error: unknown): boolean {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    return typeof code === 'string' && /^E[A-Z]+$/.test(code);
}
