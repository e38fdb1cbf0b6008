/** A problem with an input as a whole (missing file, unreadable, not a session file): the CLI prints the message as is. */
export class InputError extends Error {
    override readonly name = 'InputError';

    constructor(message: string) {
        super(message);
    }
}
