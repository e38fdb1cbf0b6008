/** Builds findings: the rule's own message template filled from the finding's values, or the engine's wording. */
import { atLine, fieldValue } from '../expr/evaluate.js';
import { findField } from '../expr/fields.js';
import { formatValue } from '../expr/values.js';
import type { Rule, Severity } from '../ir/policy.js';
import { EngineFinding, type Finding } from '../report/report.js';
import type { RuleContext } from './context.js';

export interface FindingParts {
    /** Defaults to the rule's severity. */
    severity?: Severity;
    /** The engine's message, used when the rule has no template of its own. */
    message: string;
    /** Placeholder values for the rule's template, e.g. `{code}`, `{billed}`, `{supported}`. */
    values: Record<string, string | number>;
    line?: number;
    code?: string;
    explain: string[];
    fix?: string;
    /** The finding is about something other than what the rule's template describes (a side warning): keep the engine's message. */
    ownMessage?: boolean;
}

const PLACEHOLDER = /\{([A-Za-z][\w.-]*)\}/g;

export function makeFinding(rule: Rule, context: RuleContext, parts: FindingParts): Finding {
    const message = rule.message !== undefined && !parts.ownMessage ? interpolate(rule.message, rule, context, parts) : parts.message;
    return new EngineFinding({
        rule: rule.id, severity: parts.severity ?? rule.severity, message, line: parts.line, code: parts.code,
        explain: parts.explain, fix: parts.fix, citation: rule.citation, source: rule.location
    });
}

/**
 * `{name}` is the finding's value of that name; failing that, `rule`, or a session or line field
 * (`{discipline}`, `{minutes}`, `{note.activities}`); an unknown name stays as written.
 */
export function interpolate(template: string, rule: Rule, context: RuleContext, parts: FindingParts): string {
    return template.replace(PLACEHOLDER, (whole, name: string) => {
        if (Object.hasOwn(parts.values, name)) return String(parts.values[name]);
        if (name === 'rule') return rule.id;
        const line = parts.line !== undefined ? context.session.lines[parts.line] : undefined;
        const scope = line && parts.line !== undefined ? atLine(context.scope, line, parts.line) : context.scope;
        return findField(name) ? formatValue(fieldValue(name, scope)) : whole;
    });
}
