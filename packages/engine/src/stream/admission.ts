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

/** A rejection, with the input it is from (its `file` may name several, or none). */
export interface InputRejection {
    input: number;
    rejection: Rejection;
}

export class Admission {
    /** Every id admitted past the reader's check, with the input and record it was first seen at, and in the latest input that had it. */
    private readonly ids = new IdIndex();
    private input = 0;
    /** Rejections by the readers, and by the evaluation (evaluate() sorts the readers' by input, then the evaluation's). */
    readonly readerRejections: InputRejection[] = [];
    readonly evaluationRejections: InputRejection[] = [];

    constructor(private readonly names: readonly (string | undefined)[]) {}

    startInput(index: number): void {
        this.input = index;
    }

    private rejection(record: number, id: string | undefined, error: string): InputRejection {
        const file = this.names[this.input];
        return { input: this.input, rejection: { record, ...(file !== undefined ? { file } : {}), ...(id !== undefined ? { id } : {}), error } };
    }

    rejectRecord(rejection: ChunkRejection): void {
        this.readerRejections.push(this.rejection(rejection.record, rejection.id, rejection.error));
    }

    /**
     * The declaration the session is evaluated under, or -1 when it is rejected. `policy` is the
     * declaration in force on its date as the reader's thread chose it, or -1 with the reason.
     */
    admit(record: number, id: string, policy: number, error: string | null): number {
        let entry = this.ids.find(id);
        if (entry >= 0 && this.ids.value(entry, LAST_INPUT) === this.input) {
            // The reader's check: seen before in this input.
            this.readerRejections.push(this.rejection(record, id, `duplicate session id ${id}, first seen at record ${this.ids.value(entry, LAST_RECORD)}`));
            return -1;
        }
        if (entry >= 0) {
            // The evaluation's check: seen in an earlier input (and now seen in this one).
            this.ids.setValue(entry, LAST_INPUT, this.input);
            this.ids.setValue(entry, LAST_RECORD, record);
            const file = this.names[this.ids.value(entry, FIRST_INPUT)];
            const where = file !== undefined && file !== this.names[this.input] ? ` of ${file}` : '';
            this.evaluationRejections.push(this.rejection(record, id, `duplicate session id ${id}, first seen at record ${this.ids.value(entry, FIRST_RECORD)}${where}`));
            return -1;
        }
        entry = this.ids.add(id);
        this.ids.setValue(entry, FIRST_INPUT, this.input);
        this.ids.setValue(entry, FIRST_RECORD, record);
        this.ids.setValue(entry, LAST_INPUT, this.input);
        this.ids.setValue(entry, LAST_RECORD, record);
        if (policy < 0) {
            this.evaluationRejections.push(this.rejection(record, id, error ?? 'no policy in force'));
            return -1;
        }
        return policy;
    }

    get rejected(): number {
        return this.readerRejections.length + this.evaluationRejections.length;
    }
}
