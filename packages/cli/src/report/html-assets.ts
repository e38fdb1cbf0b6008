/**
 * The HTML report's style sheet and script, inlined into the page (it must open from disk with
 * no network). The script only improves the page (search, filters, sorting): without it every
 * session is still listed, and printing shows what is on screen.
 *
 * The script never reads data into code: it works on the table the writer already rendered, so
 * nothing from a record can become script. The page's Content-Security-Policy allows this script
 * and this style sheet by their hashes and nothing else.
 */

/** Without the script, the sessions past the first page (hidden for speed) are shown after all. */
export const HTML_NOSCRIPT_STYLE = '.sessions tbody tr[hidden] { display: table-row !important; }';

export const HTML_STYLE = `
:root {
  --ink: #1d2433; --muted: #4b5567; --line: #d5dae3; --paper: #ffffff; --panel: #f5f7fa;
  --error: #b42318; --error-bg: #fef3f2; --warning: #93370d; --warning-bg: #fffaeb;
  --info: #175cd3; --info-bg: #eff8ff; --good: #067647; --good-bg: #ecfdf3; --focus: #1849a9;
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); line-height: 1.45; }
body { margin: 0 auto; max-width: 90rem; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.7rem; margin: 0 0 .35rem; }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.02rem; margin: 0 0 .5rem; }
p { margin: .4rem 0; }
a { color: var(--focus); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--paper); padding: .5rem; }
.skip:focus { left: .5rem; }
.meta { color: var(--muted); font-size: .92rem; }
.meta span + span::before { content: " \\00b7  "; }
.verdict { margin: 1rem 0 0; padding: .8rem 1rem; border-radius: 6px; font-weight: 650; border-left: 6px solid; }
.verdict-bad { background: var(--error-bg); border-color: var(--error); color: var(--error); }
.verdict-review { background: var(--warning-bg); border-color: var(--warning); color: var(--warning); }
.notices { margin: 0; padding: .75rem 1rem .75rem 2rem; background: var(--warning-bg); border-left: 4px solid var(--warning); }
.notices li + li { margin-top: .5rem; }
.verdict-good { background: var(--good-bg); border-color: var(--good); color: var(--good); }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr)); gap: .75rem; margin: 0; }
.figure { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; }
.figure dt { font-size: .85rem; color: var(--muted); }
.figure dd { margin: .15rem 0 0; font-size: 1.6rem; font-weight: 700; font-variant-numeric: tabular-nums; }
.figure.error dd { color: var(--error); } .figure.warning dd { color: var(--warning); } .figure.info dd { color: var(--info); }
.figure.money dd { font-size: 1.45rem; }
.figure small { display: block; color: var(--muted); font-size: .8rem; font-weight: 400; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(33rem, 1fr)); gap: 1rem; }
.chart { margin: 0; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .8rem .9rem; break-inside: avoid; }
.chart figcaption { font-weight: 650; margin-bottom: .4rem; }
.chart svg { display: block; width: 100%; height: auto; }
.chart svg text { font-family: inherit; font-size: 12px; fill: var(--ink); }
.chart svg .value { fill: var(--muted); }
.legend { display: flex; gap: 1rem; font-size: .85rem; color: var(--muted); margin: .3rem 0 0; padding: 0; list-style: none; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; margin-right: .3rem; vertical-align: -1px; }
.swatch.error { background: var(--error); } .swatch.warning { background: #dc6803; } .swatch.info { background: var(--info); }
details { margin-top: .4rem; font-size: .9rem; }
summary { cursor: pointer; color: var(--focus); }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; color: var(--muted); padding: .3rem 0; caption-side: top; }
th, td { text-align: left; vertical-align: top; padding: .45rem .55rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); position: sticky; top: 0; z-index: 1; border-bottom: 2px solid var(--line); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.small-table { max-width: 46rem; }
th button { font: inherit; font-weight: 650; color: inherit; background: none; border: 0; padding: 0; cursor: pointer; text-align: left; }
th button::after { content: " \\2195"; color: var(--muted); font-weight: 400; }
th[aria-sort="ascending"] button::after { content: " \\2191"; color: var(--ink); }
th[aria-sort="descending"] button::after { content: " \\2193"; color: var(--ink); }
.controls { display: flex; flex-wrap: wrap; gap: .75rem 1.25rem; align-items: end; margin: .5rem 0 .8rem; padding: .75rem; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; }
.controls label { display: flex; flex-direction: column; font-size: .85rem; color: var(--muted); gap: .2rem; }
.controls label.check { flex-direction: row; align-items: center; gap: .4rem; color: var(--ink); }
.controls input[type="search"] { font: inherit; padding: .35rem .5rem; min-width: 18rem; border: 1px solid #98a2b3; border-radius: 4px; }
.controls select { font: inherit; padding: .3rem; border: 1px solid #98a2b3; border-radius: 4px; }
#shown { margin: 0 0 0 auto; font-size: .9rem; color: var(--muted); }
.paging { display: flex; gap: .75rem; align-items: center; margin: .8rem 0; }
.paging button { font: inherit; padding: .35rem .8rem; border: 1px solid #98a2b3; border-radius: 4px; background: var(--paper); color: var(--focus); cursor: pointer; }
.sessions { table-layout: fixed; }
.sessions th, .sessions td { overflow-wrap: anywhere; }
.c-session { width: 8.5rem; } .c-claim, .c-patient, .c-payer { width: 6rem; } .c-date { width: 6.5rem; }
.c-provider { width: 7rem; } .c-units { width: 8rem; } .c-status { width: 6rem; }
.record { display: block; font-weight: 400; font-size: .78rem; color: var(--muted); overflow-wrap: anywhere; }
.nowrap { white-space: nowrap; }
.status { font-size: .8rem; font-weight: 650; padding: .05rem .4rem; border-radius: 3px; white-space: nowrap; }
.status.error { background: var(--error-bg); color: var(--error); }
.status.warning { background: var(--warning-bg); color: var(--warning); }
.status.info { background: var(--info-bg); color: var(--info); }
.status.ok { background: var(--good-bg); color: var(--good); }
.codes { list-style: none; margin: 0; padding: 0; }
.codes li { white-space: nowrap; }
.codes li span { display: block; font-weight: 400; font-size: .85rem; }
.gap { color: var(--error); font-weight: 600; }
.findings { list-style: none; margin: 0; padding: 0; }
.finding { border-left: 4px solid; padding: .2rem 0 .35rem .6rem; margin-bottom: .45rem; }
.finding.error { border-color: var(--error); } .finding.warning { border-color: #dc6803; } .finding.info { border-color: var(--info); }
.finding .what { font-weight: 600; }
.sev { font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; margin-right: .35rem; }
.finding.error .sev { color: var(--error); } .finding.warning .sev { color: var(--warning); } .finding.info .sev { color: var(--info); }
.finding dl { margin: .2rem 0 0; display: grid; grid-template-columns: max-content 1fr; gap: .1rem .5rem; font-size: .88rem; }
.finding dt { color: var(--muted); }
.finding dd { margin: 0; }
.finding ul { margin: 0; padding-left: 1.1rem; }
.cite { color: var(--muted); font-size: .82rem; }
.none { color: var(--muted); }
.note { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem; font-size: .92rem; max-width: 60rem; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); padding-top: .8rem; }
@media (max-width: 40rem) { .charts { grid-template-columns: 1fr; } .findings { min-width: 16rem; } }
@media print {
  html { font-size: 10pt; }
  body { max-width: none; padding: 0; }
  .skip, .controls, .paging, details summary { display: none !important; }
  h2 { break-after: avoid; }
  .charts { grid-template-columns: 1fr 1fr; }
  .chart, .figure, .finding, .sessions tr { break-inside: avoid; }
  thead th { position: static; }
  a { color: inherit; text-decoration: none; }
  .verdict, .figure, .chart, .note { border-color: #888; }
}
`;

export const HTML_SCRIPT = `
(function () {
  'use strict';
  var table = document.getElementById('session-table');
  var controls = document.getElementById('controls');
  if (!table || !controls) return;
  var body = table.tBodies[0];
  var PAGE = Number(table.getAttribute('data-page')) || 200;
  var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
    return { row: row, index: index, text: row.textContent.toLowerCase().replace(/\\s+/g, ' '),
      status: row.getAttribute('data-status'), severities: (row.getAttribute('data-severities') || '').split(' ') };
  });
  var search = document.getElementById('search');
  var severity = document.getElementById('severity');
  var onlyFindings = document.getElementById('only-findings');
  var shown = document.getElementById('shown');
  var nothing = document.getElementById('no-match');
  var paging = document.getElementById('paging');
  var more = document.getElementById('show-more');
  var all = document.getElementById('show-all');
  var limit = PAGE;
  controls.hidden = false;

  // Rows change while the table body is out of the document: one layout afterwards, not one per row.
  function detached(change) {
    var next = body.nextSibling;
    table.removeChild(body);
    try { change(); } finally { table.insertBefore(body, next); }
  }

  function noun(count) { return count === 1 ? 'session' : 'sessions'; }

  // Shows the first \`limit\` sessions that match the search and filters, in the current order.
  function apply() {
    var terms = search.value.toLowerCase().split(/\\s+/).filter(function (term) { return term.length > 0; });
    var wanted = severity.value;
    var filtered = terms.length > 0 || wanted !== '' || onlyFindings.checked;
    var count = 0;
    var changes = [];
    rows.forEach(function (item) {
      var matches = (!onlyFindings.checked || item.status === 'findings')
        && (!wanted || item.severities.indexOf(wanted) >= 0)
        && terms.every(function (term) { return item.text.indexOf(term) >= 0; });
      if (matches) count++;
      var visible = matches && count <= limit;
      if (item.row.hidden === visible) changes.push(item);
    });
    if (changes.length > 0) detached(function () { changes.forEach(function (item) { item.row.hidden = !item.row.hidden; }); });
    var showing = Math.min(count, limit);
    shown.textContent = 'Showing ' + showing + ' of ' + count + ' ' + (filtered ? 'matching ' : '') + noun(count)
      + (filtered ? ' (' + rows.length + ' in all)' : '');
    nothing.hidden = count > 0;
    paging.hidden = count <= limit;
    more.textContent = 'Show ' + Math.min(PAGE, count - showing) + ' more';
    all.textContent = 'Show all ' + count;
  }

  function fromStart() { limit = PAGE; apply(); }

  var pending;
  search.addEventListener('input', function () { clearTimeout(pending); pending = setTimeout(fromStart, 150); });
  search.addEventListener('keydown', function (event) { if (event.key === 'Enter') { clearTimeout(pending); fromStart(); } });
  severity.addEventListener('change', fromStart);
  onlyFindings.addEventListener('change', fromStart);
  more.addEventListener('click', function () { limit += PAGE; apply(); });
  all.addEventListener('click', function () { limit = Infinity; apply(); });

  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  headers.forEach(function (header, column) {
    var button = header.querySelector('button');
    if (!button) return;
    button.addEventListener('click', function () {
      var ascending = header.getAttribute('aria-sort') !== 'ascending';
      headers.forEach(function (other) { if (other.querySelector('button')) other.setAttribute('aria-sort', 'none'); });
      header.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
      var numeric = header.getAttribute('data-type') === 'number';
      var keyOf = function (item) {
        var cell = item.row.cells[column];
        var value = cell.getAttribute('data-sort');
        if (value === null) value = cell.textContent.trim();
        return numeric ? Number(value) : value.toLowerCase();
      };
      var keyed = rows.map(function (item) { return { item: item, key: keyOf(item) }; });
      keyed.sort(function (a, b) {
        var order = numeric ? a.key - b.key : (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
        return (ascending ? order : -order) || a.item.index - b.item.index;
      });
      rows = keyed.map(function (entry) { return entry.item; });
      detached(function () {
        rows.forEach(function (item) { body.appendChild(item.row); });
      });
      apply();
    });
  });
  apply();
})();
`;
