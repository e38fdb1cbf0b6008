/** @payrule/engine: the policy IR, session readers, and the evaluator (sessions in, explained findings out). */
export * from './ir/policy.js';
export { checkPolicyBundle, loadPolicyBundle, PolicyError } from './ir/check.js';
export { mergeBundles, payerOverlaps } from './ir/merge.js';

export type { Session, SessionLine, Rejection, RecordPosition } from './sessions/session.js';
export { InputError } from './sessions/errors.js';
export { parseSessionRecord, type ParsedRecord, type ParseOptions } from './sessions/validate.js';
export { SessionCollector, type PositionedSession, type ReadItem, type SessionsRead } from './sessions/collect.js';
export { parseJsonText, parseNdjsonText, jsonTextItems, ndjsonTextItems } from './sessions/json-text.js';
export { parseCsvText, csvTextItems, csvHeaderCells } from './sessions/csv-text.js';
export { columnRole, misspelledColumns, type ColumnRole, type MisspelledColumn } from './sessions/csv-columns.js';
export { editDistance } from './util/edit-distance.js';
export { addDays, isIsoDate } from './util/dates.js';
export { checkedUtf8 } from './sessions/utf8.js';
export { readSessions, streamSessions, sessionFormat, type ReadOptions, type SessionFormat } from './sessions/read.js';

export { unitsFor, unitRange } from './units/table.js';
export { allocatePooled, allocatePerCode, type Allocation, type CodeMinutes, type CodeUnits, type UnitSize } from './units/allocate.js';
export { computeDayUnits, lineUnits, type CodeKind, type DayLine, type DaySession, type DayUnits } from './units/day-units.js';

export { FIELDS, findField, type FieldInfo } from './expr/fields.js';
export { evaluateExpr, fieldValue, holds, type ExprScope } from './expr/evaluate.js';
export { isTruthy, valuesEqual, type Value } from './expr/values.js';

export { filingDeadline } from './rules/filing.js';
export { wordsBeyond } from './rules/documentation.js';
export { ENGINE_RULES, engineRule, type EngineRuleInfo } from './rules/engine-rules.js';
export type { EvaluateOptions } from './rules/context.js';

export { evaluate, type SessionInput } from './evaluate/evaluate.js';
export { PayerDirectory, inForce, describeEffective, type PayerChoice } from './evaluate/payers.js';

export * from './report/report.js';
export * from './testing/index.js';

export { threadsFor, writeReportStream, type ReportSink, type StreamInput, type StreamOptions, type StreamOutcome, type StreamProgress } from './stream/write-report.js';
export { reportFrame, sessionsText } from './stream/report-text.js';
export { WorkerThreads } from './stream/executors.js';
