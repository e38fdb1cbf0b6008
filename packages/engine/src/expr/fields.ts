/**
 * The fields a policy condition can read, as data: the engine evaluates them, the language
 * validates and completes them. `note.<element>`, `extra.<column>` and `authorization.<field>`
 * are families: any element or column name after the dot.
 */
export interface FieldInfo {
    /** Name as written in a policy; a family ends with `.*`. */
    name: string;
    /** `line` fields have a value only for one line (rules on every line, aggregates). */
    scope: 'session' | 'line';
    type: 'string' | 'number' | 'money' | 'date' | 'boolean' | 'list';
    description: string;
}

export const FIELDS: readonly FieldInfo[] = [
    { name: 'id', scope: 'session', type: 'string', description: 'The session id from the export' },
    { name: 'claim', scope: 'session', type: 'string', description: 'Claim number, when the export has one' },
    { name: 'patient', scope: 'session', type: 'string', description: 'Patient id' },
    { name: 'date', scope: 'session', type: 'date', description: 'Date of service' },
    { name: 'payer', scope: 'session', type: 'string', description: 'Payer id of the session' },
    { name: 'discipline', scope: 'session', type: 'string', description: 'PT, OT or SLP' },
    { name: 'role', scope: 'session', type: 'string', description: "Provider's role: PT, PTA, OT, OTA, SLP, SLPA or other" },
    { name: 'provider.id', scope: 'session', type: 'string', description: "Provider's id (NPI)" },
    { name: 'provider.role', scope: 'session', type: 'string', description: "Provider's role (same as role)" },
    { name: 'diagnoses', scope: 'session', type: 'list', description: 'ICD-10-CM codes on the session' },
    { name: 'totalMinutes', scope: 'session', type: 'number', description: 'Total treatment minutes documented (timed and untimed)' },
    { name: 'timedMinutes', scope: 'session', type: 'number', description: 'Sum of minutes on lines with timed codes' },
    { name: 'submitted', scope: 'session', type: 'date', description: 'Date the claim is (to be) submitted' },
    { name: 'note.*', scope: 'session', type: 'string', description: 'A documentation element of the note, by name (missing when absent)' },
    { name: 'authorization.id', scope: 'session', type: 'string', description: 'Authorization number' },
    { name: 'authorization.visitsApproved', scope: 'session', type: 'number', description: 'Visits the authorization approves' },
    { name: 'authorization.visitNumber', scope: 'session', type: 'number', description: 'Which visit of the authorization this is' },
    { name: 'extra.*', scope: 'session', type: 'string', description: 'A column of the export that Payrule does not know, by name' },
    { name: 'code', scope: 'line', type: 'string', description: 'CPT/HCPCS code of the line' },
    { name: 'minutes', scope: 'line', type: 'number', description: 'Face-to-face minutes for the line' },
    { name: 'units', scope: 'line', type: 'number', description: 'Units billed on the line' },
    { name: 'modifiers', scope: 'line', type: 'list', description: 'Modifiers on the line' },
    { name: 'charge', scope: 'line', type: 'money', description: 'Charge of the line' },
    { name: 'allowed', scope: 'line', type: 'money', description: 'Expected allowed amount of the line' },
    { name: 'assistantMinutes', scope: 'line', type: 'number', description: 'Minutes furnished by an assistant (PTA/OTA) on their own' },
    { name: 'timed', scope: 'line', type: 'boolean', description: 'Whether the code is timed (billed in units of minutes)' },
    { name: 'supportedUnits', scope: 'line', type: 'number', description: 'Units the minutes support under the payer\'s unit method' }
];

const BY_NAME = new Map(FIELDS.map(field => [field.name, field]));

/** The field a path names (`note.activities` finds the `note.*` family), or undefined. */
export function findField(path: string): FieldInfo | undefined {
    const exact = BY_NAME.get(path);
    if (exact) return exact;
    const dot = path.indexOf('.');
    if (dot > 0 && dot < path.length - 1) return BY_NAME.get(`${path.slice(0, dot)}.*`);
    return undefined;
}
