/**
 * `payrule check --format csv|sarif|junit|html` end to end: each written from a real run over
 * the example packs, checked against its standard (RFC 4180, the SARIF 2.1.0 schema, XML), and
 * safe with hostile record contents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AS_OF, FIXTURES, PACKS, payrule, ROOT } from '../cli/run-payrule.js';
import { elements, parseCsv, parseXml, session, tempFolder, type TempFolder } from './support.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const WEEK = 'examples/sessions/week.csv';

function check(format: string, files: string[], extra: string[] = []) {
    return payrule(['check', '--policy', PACKS, '--format', format, ...AS_OF, ...extra, ...files]);
}

/** Records whose every field tries to break out of its format: formulas, markup, quotes, line breaks. */
const HOSTILE = [
    session({ id: '=HYPERLINK("http://evil.example","x")', claim: '+1+2', patient: '<script>alert("pt")</script>', units: 2 }),
    session({ id: '@SUM(A1:A9)', claim: '-2+3', patient: 'P-"quoted",\r\nline', units: 2, modifiers: [] }),
    session({
        id: 'S-tab', claim: '\tTAB', patient: '</td></tr><img src=x onerror=alert(1)>', units: 3,
        note: { activities: '</script><script>alert(1)</script> therapeutic exercise performed', 'patient-response': 'tolerated well' }
    })
];

let folder: TempFolder;
let hostile: string;

beforeAll(() => {
    folder = tempFolder();
    hostile = folder.file('hostile.json', HOSTILE);
});

afterAll(() => folder.remove());

describe('csv report', () => {
    it('has one row per finding with the session, claim, patient, rule, fix, citation and policy source', async () => {
        const run = await check('csv', [`${FIXTURES}/sessions.json`]);
        // The JSON report's notices (no line has an allowed amount) go to standard error: a CSV of findings has no place for them.
        expect(run.stderr).toMatch(/^payrule: notice: All \d+ lines that count toward the medicare thresholds \(kx, kx-ot, review-pt-slp and review-ot\) have no allowed amount.*\n$/);
        expect(run.code).toBe(1);
        const rows = parseCsv(run.stdout);
        const json = JSON.parse((await check('json', [`${FIXTURES}/sessions.json`])).stdout);
        const findings = json.sessions.flatMap((s: { findings: unknown[] }) => s.findings);
        expect(rows[0]).toEqual(['Session', 'Claim', 'Patient', 'Date of service', 'Payer', 'Provider', 'Severity', 'Rule', 'Code', 'Claim line',
            'Message', 'Why', 'Fix', 'Citation', 'Policy source', 'Input record']);
        expect(rows.length - 1).toBe(findings.length + json.rejected.length);
        const units = rows.find(row => row[0] === 'S-101' && row[7] === 'units-match')!;
        expect(units).toBeDefined();
        expect(units[1]).toBe('C-101');
        expect(units[2]).toBe('P-0050');
        expect(units[6]).toBe('error');
        expect(units[12]).toMatch(/Bill 1 unit/);
        expect(units[13]).toMatch(/Pub 100-04/);
        expect(units[14]).toMatch(/^examples\/packs\/medicare\/medicare\.payrule:\d+$/);
        expect(units[15]).toMatch(/sessions\.json record \d+/);
        expect(rows.every(row => row.length === rows[0]!.length)).toBe(true);
    });

    it('neutralises cells that a spreadsheet would run as formulas, and quotes as RFC 4180 says', async () => {
        const run = await check('csv', [hostile]);
        const rows = parseCsv(run.stdout);
        const cells = rows.slice(1).flat();
        // No cell may start with a formula character once read back.
        for (const cell of cells) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);
        const ids = rows.slice(1).map(row => row[0]);
        expect(ids).toContain('\'=HYPERLINK("http://evil.example","x")');
        expect(ids).toContain('\'@SUM(A1:A9)');
        const claims = rows.slice(1).map(row => row[1]);
        expect(claims).toEqual(expect.arrayContaining(['\'+1+2', '\'-2+3', '\'\tTAB']));
        // The patient with a quote, a comma and a line break survives the round trip whole.
        expect(rows.slice(1).map(row => row[2])).toContain('P-"quoted",\r\nline');
        expect(run.stdout).toContain('"\'=HYPERLINK(""http://evil.example"",""x"")"');
    });
});

describe('sarif report', () => {
    const schema = JSON.parse(readFileSync(join(ROOT, 'test/reports/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
    const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
    const validate = ajv.compile(schema);

    it('is valid SARIF 2.1.0 for the example week', async () => {
        const run = await check('sarif', [WEEK]);
        expect(run.stderr).toBe('');
        const log = JSON.parse(run.stdout);
        const valid = validate(log);
        expect(validate.errors ?? []).toEqual([]);
        expect(valid).toBe(true);
        expect(log.version).toBe('2.1.0');
        expect(log.runs).toHaveLength(1);
    });

    it('locates each result at its session record and its rule in the policy, with the rule described once', async () => {
        const log = JSON.parse((await check('sarif', [WEEK])).stdout);
        const json = JSON.parse((await check('json', [WEEK])).stdout);
        const run = log.runs[0];
        const findings = json.sessions.flatMap((s: { findings: unknown[] }) => s.findings);
        expect(run.results).toHaveLength(findings.length);
        const rules = run.tool.driver.rules;
        expect(new Set(rules.map((r: { id: string }) => r.id)).size).toBe(rules.length);
        for (const result of run.results) {
            const rule = rules[result.ruleIndex];
            expect(rule.id).toBe(result.ruleId);
            expect(rule.name).toBe(result.ruleId.split('/')[1]);
            const location = result.locations[0].physicalLocation;
            expect(run.artifacts[location.artifactLocation.index].location.uri).toBe(WEEK);
            expect(location.artifactLocation.uri).toBe(WEEK);
            expect(location.region.startLine).toBeGreaterThan(1);
            expect(result.locations[0].logicalLocations[0].name).toBe(result.properties.sessionId);
            const related = result.relatedLocations[0].physicalLocation;
            expect(related.artifactLocation.uri).toMatch(/^examples\/packs\/.+\.payrule$/);
            expect(related.region.startLine).toBeGreaterThan(0);
        }
        // The CSV row of S-2026-0011 (its first claim line) is where its result points.
        const csvLines = readFileSync(join(ROOT, WEEK), 'utf8').split('\n');
        const row = csvLines.findIndex(line => line.startsWith('S-2026-0011,')) + 1;
        const result = run.results.find((r: { properties: { sessionId: string } }) => r.properties.sessionId === 'S-2026-0011');
        expect(result.locations[0].physicalLocation.region.startLine).toBe(row);
        const units = rules.find((r: { id: string }) => r.id === 'Medicare/units-match');
        expect(units.properties.citation).toMatch(/Pub 100-04 Ch 5 s20.2/);
        expect(units.fullDescription.text).toBe(units.properties.citation);
    });

    it('stays valid with hostile record contents and lists rejected records as notifications', async () => {
        const log = JSON.parse((await check('sarif', [hostile, `${FIXTURES}/rejected.json`])).stdout);
        expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
        const notifications = log.runs[0].invocations[0].toolExecutionNotifications;
        const rejected = notifications.filter((notification: { level: string }) => notification.level === 'error');
        expect(rejected).toHaveLength(1);
        expect(rejected[0].message.text).toMatch(/S-104/);
        // The run's notice follows: these records have no allowed amounts, so the KX threshold could not be tracked.
        expect(notifications.at(-1)).toEqual({ level: 'warning', message: { text: expect.stringMatching(/have no allowed amount/) } });
    });
});

describe('junit report', () => {
    it('is well-formed XML with one test case per session and one failure per error finding', async () => {
        const run = await check('junit', [WEEK]);
        expect(run.stderr).toBe('');
        const json = JSON.parse((await check('json', [WEEK])).stdout);
        const root = parseXml(run.stdout);
        expect(root.name).toBe('testsuites');
        const cases = elements(root, 'testcase');
        expect(cases).toHaveLength(json.sessions.length);
        const errors = json.sessions.flatMap((s: { findings: { severity: string }[] }) => s.findings.filter(f => f.severity === 'error'));
        expect(elements(root, 'failure')).toHaveLength(errors.length);
        const failing = json.sessions.filter((s: { findings: { severity: string }[] }) => s.findings.some(f => f.severity === 'error')).length;
        expect(Number(root.attributes['failures'])).toBe(failing);
        expect(Number(root.attributes['tests'])).toBe(json.sessions.length);
        const s0011 = cases.find(c => c.attributes['name'] === 'S-2026-0011')!;
        expect(s0011.attributes['classname']).toBe('acme-ppo');
        expect(s0011.attributes['file']).toBe(WEEK);
        const failure = s0011.children.find(c => c.name === 'failure')!;
        expect(failure.attributes['type']).toBe('units-match');
        expect(failure.text).toMatch(/fix: /);
    });

    it('stays well-formed with hostile record contents and control characters, and reports rejected records as errors', async () => {
        const control = folder.file('control.json', [session({ id: 'S-ctl', patient: 'P-\u0001\u0008bell', units: 2 })]);
        const run = await check('junit', [hostile, control, `${FIXTURES}/rejected.json`]);
        const root = parseXml(run.stdout);
        const names = elements(root, 'testcase').map(c => c.attributes['name']);
        expect(names).toContain('=HYPERLINK("http://evil.example","x")');
        expect(names).toContain('S-ctl');
        expect(elements(root, 'error')).toHaveLength(1);
        expect(elements(root, 'testsuite')).toHaveLength(3);
    });
});

describe('html report', () => {
    it('is one self-contained page: no external resource, a strict content policy, the summary and charts inline', async () => {
        const run = await check('html', [WEEK]);
        expect(run.stderr).toBe('');
        const html = run.stdout;
        expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
        expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
        expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
        expect(html).not.toMatch(/@import|url\(/);
        expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;/);
        expect(html.match(/<svg\b/g)!.length).toBeGreaterThanOrEqual(5);
        for (const id of ['chart-rule', 'chart-code', 'chart-payer', 'chart-provider', 'chart-week']) expect(html).toContain(`id="${id}"`);
        expect(html).toContain('Revenue at risk');
        expect(html).toContain('How this is valued');
        expect(html).toContain('Pub 100-04 Ch 5 s20.2');
        expect(html.match(/<script>/g)).toHaveLength(1);
    });

    it('shows the run\'s notices under the summary', async () => {
        // The week's sessions with their allowed amounts taken out: the KX threshold cannot be tracked.
        const unpriced = folder.file('unpriced.ndjson', readFileSync(join(ROOT, 'examples/sessions/week.ndjson'), 'utf8').replace(/,"allowed":[0-9.]+/g, ''));
        const run = await check('html', [unpriced]);
        expect(run.stderr).toBe('');
        expect(run.stdout).toMatch(/<h2 id="notices-heading">What this check could not see<\/h2>\n<ul class="notices"><li>All \d+ lines that count toward the medicare thresholds/);
        expect(run.stdout.indexOf('id="summary-heading"')).toBeLessThan(run.stdout.indexOf('id="notices-heading"'));
    });

    it('escapes every value from the records: no markup or script gets through', async () => {
        const html = (await check('html', [hostile])).stdout;
        expect(html).not.toContain('<script>alert');
        expect(html).not.toContain('<img src=x');
        expect(html).not.toContain('</td></tr><img');
        expect(html).toContain('&lt;script&gt;alert(&quot;pt&quot;)&lt;/script&gt;');
        expect(html).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;img src=x onerror=alert(1)&gt;');
        // The only script is the report's own.
        expect(html.match(/<script\b/g)).toHaveLength(1);
    });

    it('writes the file named by -o', async () => {
        const out = join(folder.path, 'report.html');
        const run = await check('html', [WEEK], ['-o', out]);
        expect(run.stdout).toBe('');
        expect(readFileSync(out, 'utf8')).toContain('Billing check before the claims go out');
    });
});
