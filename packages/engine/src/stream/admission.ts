/**
 * Which sessions are evaluated, exactly as reading the inputs whole and calling evaluate() would
 * decide: a record that does not parse is rejected by its reader; a later session with an id seen
 * before in the same input is rejected by the reader, one seen in an earlier input by the
 * evaluation, and so is a session without a payer declaration in force on its date.
 */
import type { Rejection } from '../sessions/session.js';
import { IdIndex } from './id-index.js';
import type { ChunkRejection } from './chunk-records.js';

const FIRST_INPUT = 0;
const FIRST_RECORD = 1;
const LAST_INPUT = 2;
const LAST_RECORD = 3;

export class Admission {
    /** Every id admitted past the reader's check, with the input and record it was first seen at, and in the latest input that had it. */
    private readonly ids = new IdIndex();
    private input = 0;
    /** Rejections by the readers (per input, in input order), then by the evaluation: the order evaluate() sorts from. */
    readonly readerRejections: Rejection[] = [];
    readonly evaluationRejections: Rejection[] = [];

    constructor(private readonly names: readonly (string | undefined)[]) {}

    startInput(index: number): void {
        this.input = index;
    }

    private position(record: number): { record: number; file?: string } {
        const file = this.names[this.input];
        return { record, ...(file !== undefined ? { file } : {}) };
    }

    rejectRecord(rejection: ChunkRejection): void {
        this.readerRejections.push({ ...this.position(rejection.record), ...(rejection.id !== undefined ? { id: rejection.id } : {}), error: rejection.error });
    }

    /** Whether a session with this id was admitted past the reader's check in the current input. */
    seenInInput(id: string): boolean {
        const entry = this.ids.find(id);
        return entry >= 0 && this.ids.value(entry, LAST_INPUT) === this.input;
    }

    /**
     * The declaration the session is evaluated under, or -1 when it is rejected. `policy` is the
     * declaration in force on its date as the reader's thread chose it, or -1 with the reason.
     */
    admit(record: number, id: string, policy: number, error: string | null): number {
        let entry = this.ids.find(id);
        if (entry >= 0 && this.ids.value(entry, LAST_INPUT) === this.input) {
            // The reader's check: seen before in this input.
            this.readerRejections.push({ ...this.position(record), id, error: `duplicate session id ${id}, first seen at record ${this.ids.value(entry, LAST_RECORD)}` });
            return -1;
        }
        if (entry >= 0) {
            // The evaluation's check: seen in an earlier input (and now seen in this one).
            this.ids.setValue(entry, LAST_INPUT, this.input);
            this.ids.setValue(entry, LAST_RECORD, record);
            const file = this.names[this.ids.value(entry, FIRST_INPUT)];
            const where = file !== undefined && file !== this.names[this.input] ? ` of ${file}` : '';
            this.evaluationRejections.push({ ...this.position(record), id, error: `duplicate session id ${id}, first seen at record ${this.ids.value(entry, FIRST_RECORD)}${where}` });
            return -1;
        }
        entry = this.ids.add(id);
        this.ids.setValue(entry, FIRST_INPUT, this.input);
        this.ids.setValue(entry, FIRST_RECORD, record);
        this.ids.setValue(entry, LAST_INPUT, this.input);
        this.ids.setValue(entry, LAST_RECORD, record);
        if (policy < 0) {
            this.evaluationRejections.push({ ...this.position(record), id, error: error ?? 'no policy in force' });
            return -1;
        }
        return policy;
    }

    get rejected(): number {
        return this.readerRejections.length + this.evaluationRejections.length;
    }
}
