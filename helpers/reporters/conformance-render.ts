/**
 * The conformance report as people read it: Markdown (for a pull request or a launch review), one
 * self-contained HTML file (inline CSS, no script, no external asset: it renders offline and can be
 * mailed), and the lines printed at the end of a run.
 */
import type { Source } from '../../specs/requirements/types.ts';
import type { ConformanceReport, RequirementReport, Summary, TestReport, TestVerdict, Verdict } from './conformance-model.ts';
import { POLICY } from './policy.ts';
import { ABORTED_SKIP_PREFIX } from '../annotations.ts';

export interface RenderContext {
  /** Where the certificate was written, or null when none was issued. */
  certificateFile: string | null;
  reportsDir: string;
}

const LABEL: Record<Verdict | TestVerdict, string> = {
  pass: 'pass',
  fail: 'FAIL',
  'not applicable': 'n/a',
  'expected failure': 'xfail',
  'unexpectedly passed': 'XPASS',
  untested: 'untested',
  skipped: 'skipped',
};

/** A ref that starts with a URL, split into the URL and what follows it ("https://… (example: …)"). */
function splitUrl(ref: string): { url: string; rest: string } | null {
  const m = /^(https?:\/\/\S+)\s*(.*)$/.exec(ref);
  return m ? { url: m[1]!, rest: m[2]! } : null;
}
const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${n} ms`);
const shortCommit = (c: string | null) => (c ? c.slice(0, 12) : 'unknown');

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

export function fraction(t: { passed: number; applicable: number }): string {
  return `${t.passed}/${t.applicable}`;
}

export function summaryLine(project: string, s: Summary): string {
  const drift = s.TENTATIVE.failed ? ` (${s.TENTATIVE.failed} failed: drift)` : '';
  return (
    `${project}: MUST passed ${fraction(s.MUST)}, SHOULD ${fraction(s.SHOULD)}, TENTATIVE ${fraction(s.TENTATIVE)}${drift}, ` +
    `not applicable ${s.notApplicable}, expected failures ${s.expectedFailures}, unexpectedly passed ${s.unexpectedPasses}, untested ${s.untested}`
  );
}

function environmentRows(report: ConformanceReport): [string, string][] {
  const env = report.environment;
  const rows: [string, string][] = [];
  for (const t of report.targets) {
    const prefix = report.targets.length > 1 ? `${t.project}: ` : '';
    rows.push([`${prefix}Target`, t.project === t.name ? t.name : `${t.name} (project ${t.project})`]);
    rows.push([`${prefix}Base URL`, t.baseUrl ?? 'unknown (no test reached the target)']);
    rows.push([`${prefix}API version`, t.apiVersion ?? 'unknown']);
  }
  rows.push(['SDK', `${env.sdk.name} ${env.sdk.version}`]);
  rows.push(['Suite', `${env.suite.name} ${env.suite.version}, commit ${shortCommit(env.suite.commit)}${env.suite.modified ? ' (with uncommitted changes)' : ''}`]);
  rows.push(['Node', env.node]);
  rows.push(['Date', env.generatedAt]);
  return rows;
}

function certificateText(report: ConformanceReport, ctx: RenderContext): { headline: string; reasons: string[] } {
  if (report.certificate.issued && ctx.certificateFile) {
    return { headline: `issued: ${ctx.certificateFile} (verify: npm run certificate:verify -- ${ctx.certificateFile} ${ctx.reportsDir}/conformance.json)`, reasons: [] };
  }
  return { headline: 'not issued, because:', reasons: report.certificate.reasons };
}

const FATAL = POLICY.conformance.fatal;
const DRIFT = (['MUST', 'SHOULD', 'TENTATIVE'] as const).filter((strength) => !FATAL.includes(strength));
const EXIT_POLICY = `The exit code of \`npm run conformance\` follows ${FATAL.join(' and ')} failures only; a failed ${DRIFT.join(' or ')} requirement is reported as drift, not as a failure.`;

// --- console ----------------------------------------------------------------------------------------

/**
 * When the run was aborted (a live-mode answer stops every later test unsent), the one sentence every
 * rendering leads with: the cause, and how many results were not run, counted as untested, not failed.
 */
export function abortNotice(report: ConformanceReport): string | null {
  let notRun = 0;
  let cause: string | null = null;
  for (const r of report.requirements) {
    for (const result of Object.values(r.results)) {
      if (result.verdict !== 'untested' || !result.reason?.startsWith(ABORTED_SKIP_PREFIX)) continue;
      notRun++;
      cause ??= result.reason.slice(ABORTED_SKIP_PREFIX.length);
    }
  }
  if (!notRun) return null;
  return `The run was aborted: ${cause} ${notRun} requirement result(s) were not run: they are counted as untested, not as failures.`;
}

export function renderConsole(report: ConformanceReport, ctx: RenderContext, width = 110): string {
  const lines: string[] = [''];
  const aborted = abortNotice(report);
  if (aborted) lines.push(aborted, '');
  lines.push('Conformance by requirement');
  for (const t of report.targets) {
    if (report.targets.length > 1) lines.push(`  ${t.project}`);
    for (const r of report.requirements) {
      const result = r.results[t.project];
      if (!result) continue;
      const head = `  ${LABEL[result.verdict].padEnd(8)} ${r.id.padEnd(12)} ${r.strength.padEnd(9)} `;
      lines.push(head + oneLine(r.statement, Math.max(20, width - head.length)));
    }
  }
  lines.push('');
  for (const t of report.targets) lines.push(summaryLine(t.project, t.summary));
  const cert = certificateText(report, ctx);
  lines.push(`certificate: ${cert.headline}${cert.reasons.length ? ` ${cert.reasons.length} reason(s), the first: ${cert.reasons[0]}` : ''}`);
  lines.push(`exit code ${report.exit.code}${report.exit.reasons.length ? `: ${report.exit.reasons.slice(0, 5).join('; ')}${report.exit.reasons.length > 5 ? '; …' : ''}` : ` (no ${FATAL.join(' or ')} failed)`}`);
  return lines.join('\n') + '\n';
}

// --- evidence ---------------------------------------------------------------------------------------

/**
 * The last exchange of a test's HTTP log (helpers/http-log.ts `render`), in one line: the request, the
 * status, and the start of the answer: what came, beside what the assertion expected.
 */
export function lastExchange(httpLog: string | null): string | null {
  if (!httpLog) return null;
  const blocks = httpLog.split(/\n\n(?=>>> )/);
  const block = blocks.at(-1)!;
  const lines = block.split('\n');
  const request = lines[1]?.replace(/^(\S+) https?:\/\/[^/]+/, '$1 ') ?? '';
  const at = lines.indexOf('<<<');
  if (!request || at < 0) return null;
  const status = lines[at + 1] ?? '';
  if (status.startsWith('!!')) return `${request} → no answer: ${status.slice(2).trim()}`;
  // The response's headers (lower-case `name: value` lines), then its body.
  let start = at + 2;
  while (start < lines.length && /^[a-z0-9-]+: /.test(lines[start]!)) start++;
  const body = lines.slice(start).join(' ');
  const code = /^(\d{3})/.exec(status)?.[1] ?? status;
  return `${request} → ${code}${body.trim() ? ` ${oneLine(body, 160)}` : ''}${blocks.length > 1 ? ` (the last of ${blocks.length} exchanges)` : ''}`;
}

/** What a failed test's report says when it has no exchange to show: that it sent nothing, or that none was kept. */
const NO_EXCHANGE = 'no HTTP exchange was recorded for this test (it failed before sending a request, or outside the suite\'s clients)';

/** The first line of a test's first error that says something (Playwright's "Error: " prefix dropped). */
export function firstErrorLine(t: TestReport): string {
  const text = t.evidence?.errors[0] ?? t.reason ?? '';
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !/^Error:\s*$/.test(l));
  // The first line (a custom message may be a whole body: cut), then what was expected and what came.
  const expected = lines.find((l) => /^Expected\b/.test(l));
  const received = lines.find((l) => /^Received\b/.test(l));
  const head = [oneLine(lines[0] ?? '', expected || received ? 110 : 240).replace(/^Error: /, ''), ...lines.slice(1, expected || received ? 1 : 4), ...(expected ? [expected] : []), ...(received ? [received] : [])].join(' / ');
  // A bare message (no matcher, no Expected/Received) is a call that threw where the test expected it to succeed.
  const bare = !/expect\(|Expected|Received|answered|within/.test(text) && lines.length > 0;
  return oneLine(bare ? `a call the test expected to succeed threw: ${lines[0]!.replace(/^Error: /, '')}` : head, 240);
}

// --- markdown ---------------------------------------------------------------------------------------

const mdCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ');
const fence = (text: string) => {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}text\n${text}\n${ticks}`;
};

function mdSource(s: Source): string {
  const link = splitUrl(s.ref);
  const label = link ? `[${s.tag}](${link.url})${link.rest ? ` ${link.rest}` : ''}` : `${s.tag} \`${s.ref.replace(/`/g, "'")}\``;
  return s.note ? `${label} (${s.note})` : label;
}

function mdEvidence(r: RequirementReport, project: string, t: TestReport): string {
  const out = [`#### ${r.id} on ${project}: ${LABEL[t.verdict]}`, '', `Test \`${t.file}:${t.line}\` ${mdCell(t.title)}${t.reason ? ` (${t.reason})` : ''}`, ''];
  const e = t.evidence;
  if (!e) return out.join('\n');
  if (e.errors.length) out.push('Error:', '', fence(e.errors.join('\n\n')), '');
  out.push(`What the target answered last: ${mdCell(lastExchange(e.httpLog) ?? NO_EXCHANGE).replace(/`/g, "'")}`, '');
  if (e.schemaErrors.length) out.push('Schema errors:', '', ...e.schemaErrors.map((s) => `- \`${s.replace(/`/g, "'")}\``), '');
  if (e.events) out.push('Events expected and seen:', '', fence(e.events), '');
  if (e.httpLog) out.push('<details><summary>Requests and responses (redacted)</summary>', '', fence(e.httpLog), '', '</details>', '');
  return out.join('\n');
}

export function renderMarkdown(report: ConformanceReport, ctx: RenderContext): string {
  const out: string[] = ['# SPT conformance report', ''];
  const aborted = abortNotice(report);
  if (aborted) out.push(`> **${mdCell(aborted)}**`, '');
  out.push('| | |', '|---|---|');
  for (const [k, v] of environmentRows(report)) out.push(`| ${k} | ${mdCell(v)} |`);
  out.push('', '## Summary', '', '| target | MUST passed | SHOULD passed | TENTATIVE passed | not applicable | expected failures | unexpectedly passed | untested |', '|---|---|---|---|---|---|---|---|');
  for (const t of report.targets) {
    const s = t.summary;
    out.push(`| ${t.project} | ${fraction(s.MUST)} | ${fraction(s.SHOULD)} | ${fraction(s.TENTATIVE)} | ${s.notApplicable} | ${s.expectedFailures} | ${s.unexpectedPasses} | ${s.untested} |`);
  }
  const cert = certificateText(report, ctx);
  out.push('', `**Certificate:** ${cert.headline}`, ...cert.reasons.map((r) => `- ${r}`), '');
  out.push(`**Exit code ${report.exit.code}.** ${EXIT_POLICY}`, ...report.exit.reasons.map((r) => `- ${r}`), '');

  out.push('## Requirements', '');
  for (const t of report.targets) {
    if (report.targets.length > 1) out.push(`### ${t.project}`, '');
    out.push('| verdict | id | strength | statement | sources | duration | note |', '|---|---|---|---|---|---|---|');
    for (const r of report.requirements) {
      const x = r.results[t.project];
      if (!x) continue;
      out.push(`| ${LABEL[x.verdict]} | ${r.id} | ${r.strength} | ${mdCell(r.statement)} | ${r.sources.map(mdSource).map(mdCell).join('<br>')} | ${ms(x.durationMs)} | ${mdCell(x.reason ?? '')} |`);
    }
    out.push('');
  }

  const evidence = report.targets.flatMap((t) =>
    report.requirements.flatMap((r) => (r.results[t.project]?.tests ?? []).filter((x) => x.evidence).map((x) => mdEvidence(r, t.project, x))),
  );
  if (evidence.length) out.push('## Evidence', '', ...evidence);

  const novelties = report.targets.flatMap((t) =>
    report.requirements.flatMap((r) => (r.results[t.project]?.tests ?? []).flatMap((x) => x.novelties.map((n) => `- ${r.id} on ${t.project}: \`${n}\` (${mdCell(x.title)})`))),
  );
  if (novelties.length) out.push('## Schema novelty (drift, not failure)', '', 'Fields the target returned that its schema does not declare.', '', ...[...new Set(novelties)], '');

  if (report.unmapped.length) {
    out.push('## Tests that name no requirement', '', ...report.unmapped.map((u) => `- ${u.project} \`${u.file}\` ${mdCell(u.title)}: ${LABEL[u.verdict]}`), '');
  }
  if (report.run.errors.length) out.push('## Errors outside the tests', '', fence(report.run.errors.join('\n\n')), '');
  return out.join('\n');
}

// --- html -------------------------------------------------------------------------------------------

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const CLASS: Record<Verdict | TestVerdict, string> = {
  pass: 'pass',
  fail: 'fail',
  'not applicable': 'na',
  'expected failure': 'xfail',
  'unexpectedly passed': 'xpass',
  untested: 'untested',
  skipped: 'untested',
};

const CSS = `
:root{--pass:#1a7f37;--fail:#cf222e;--na:#6e7781;--xfail:#9a6700;--xpass:#8250df;--untested:#bc4c00;--line:#d0d7de;--bg:#f6f8fa}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;margin:0;padding:24px 32px;max-width:1400px}
h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
table{border-collapse:collapse;width:100%}th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}th{background:var(--bg)}
table.env{width:auto}table.env th{font-weight:600;white-space:nowrap}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:150px;background:#fff}
.card .n{font-size:26px;font-weight:700}.card .l{color:#57606a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.bad .n{color:var(--fail)}.card.good .n{color:var(--pass)}
.badge{display:inline-block;min-width:64px;text-align:center;border-radius:10px;padding:1px 8px;font-size:12px;font-weight:600;color:#fff}
.badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.na{background:var(--na)}.badge.xfail{background:var(--xfail)}.badge.xpass{background:var(--xpass)}.badge.untested{background:var(--untested)}
.cert{border-radius:8px;padding:10px 14px;margin:12px 0}.cert.ok{background:#dafbe1;border:1px solid #4ac26b}.cert.no{background:#fff8c5;border:1px solid #d4a72c}
.failure{border-left:4px solid var(--fail);padding:4px 12px;margin:10px 0}.answered{margin:4px 0}
.id{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:nowrap}.muted{color:#57606a}
pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-height:420px;font-size:12px;white-space:pre-wrap}
details summary{cursor:pointer;color:#0969da}ul{margin:4px 0;padding-left:20px}
table.reqs{table-layout:fixed}table.reqs td{overflow-wrap:anywhere}table.reqs code{white-space:normal}
col.verdict{width:92px}col.id{width:112px}col.strength{width:96px}col.sources{width:30%}col.duration{width:88px}
`;

function htmlSource(s: Source): string {
  const note = s.note ? ` <span class="muted">(${esc(s.note)})</span>` : '';
  const link = splitUrl(s.ref);
  if (!link) return `${s.tag} <code>${esc(s.ref)}</code>${note}`;
  return `${s.tag} <a href="${esc(link.url)}">${esc(link.url.replace(/^https?:\/\//, ''))}</a>${link.rest ? ` ${esc(link.rest)}` : ''}${note}`;
}

function htmlEvidence(t: TestReport): string {
  const e = t.evidence;
  const head = `<div><span class="badge ${CLASS[t.verdict]}">${esc(LABEL[t.verdict])}</span> <code>${esc(`${t.file}:${t.line}`)}</code> ${esc(t.title)}${t.reason ? ` <span class="muted">(${esc(t.reason)})</span>` : ''}</div>`;
  if (!e) return head;
  const parts = [head];
  if (e.errors.length) parts.push(`<pre>${esc(e.errors.join('\n\n'))}</pre>`);
  parts.push(`<div class="answered"><strong>What the target answered last:</strong> <code>${esc(lastExchange(e.httpLog) ?? NO_EXCHANGE)}</code></div>`);
  if (e.schemaErrors.length) parts.push(`<div>Schema errors:</div><ul>${e.schemaErrors.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>`);
  if (e.events) parts.push(`<div>Events expected and seen:</div><pre>${esc(e.events)}</pre>`);
  if (e.httpLog) parts.push(`<details><summary>Requests and responses (redacted)</summary><pre>${esc(e.httpLog)}</pre></details>`);
  return parts.join('\n');
}

function htmlCards(project: string, s: Summary, multi: boolean): string {
  const card = (label: string, value: string, tone: '' | 'good' | 'bad') => `<div class="card ${tone}"><div class="n">${esc(value)}</div><div class="l">${esc(label)}</div></div>`;
  const tone = (t: { passed: number; applicable: number }) => (t.applicable === 0 ? '' : t.passed === t.applicable ? 'good' : 'bad');
  return [
    multi ? `<h3>${esc(project)}</h3>` : '',
    '<div class="cards">',
    card('MUST passed', fraction(s.MUST), tone(s.MUST)),
    card('SHOULD passed', fraction(s.SHOULD), tone(s.SHOULD)),
    card('TENTATIVE passed', fraction(s.TENTATIVE), ''),
    card('not applicable', String(s.notApplicable), ''),
    card('expected failures', String(s.expectedFailures), ''),
    card('unexpectedly passed', String(s.unexpectedPasses), s.unexpectedPasses ? 'bad' : ''),
    card('untested', String(s.untested), ''),
    '</div>',
  ].join('');
}

export function renderHtml(report: ConformanceReport, ctx: RenderContext): string {
  const multi = report.targets.length > 1;
  const cert = certificateText(report, ctx);
  const body: string[] = ['<h1>SPT conformance report</h1>'];
  const aborted = abortNotice(report);
  if (aborted) body.push(`<p class="cert no"><strong>${esc(aborted)}</strong></p>`);
  body.push('<table class="env">');
  for (const [k, v] of environmentRows(report)) body.push(`<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`);
  body.push('</table>', '<h2>Summary</h2>');
  for (const t of report.targets) body.push(htmlCards(t.project, t.summary, multi));
  body.push(
    `<div class="cert ${report.certificate.issued ? 'ok' : 'no'}"><strong>Certificate:</strong> ${esc(cert.headline)}${cert.reasons.length ? `<ul>${cert.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : ''}</div>`,
    `<p><strong>Exit code ${report.exit.code}.</strong> ${esc(EXIT_POLICY.replace(/`/g, ''))}</p>`,
  );
  if (report.exit.reasons.length) body.push(`<ul>${report.exit.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`);

  // The failures and their evidence first: what to fix, before the full table.
  const failures = report.targets.flatMap((t) => report.requirements.flatMap((r) => (r.results[t.project]?.verdict === 'fail' ? [{ t, r, x: r.results[t.project]! }] : [])));
  if (failures.length) {
    body.push(`<h2>Failures (${failures.length})</h2>`);
    for (const { t, r, x } of failures) {
      const failed = x.tests.filter((test) => test.verdict === 'fail');
      body.push(
        `<div class="failure" id="${esc(`fail-${t.project}-${r.id}`)}"><div><span class="badge fail">FAIL</span> <span class="id">${esc(r.id)}</span> ${r.strength}${multi ? ` on ${esc(t.project)}` : ''}: ${esc(r.statement)} <span class="muted">(${esc(x.reason ?? '')})</span></div>`,
        `<details open><summary>evidence</summary>${failed.map(htmlEvidence).join('\n')}</details></div>`,
      );
    }
  }

  body.push('<h2>Requirements</h2>');
  for (const t of report.targets) {
    if (multi) body.push(`<h3>${esc(t.project)}</h3>`);
    body.push(
      '<table class="reqs"><colgroup><col class="verdict"><col class="id"><col class="strength"><col><col class="sources"><col class="duration"></colgroup>',
      '<tr><th>verdict</th><th>id</th><th>strength</th><th>statement</th><th>sources</th><th>duration</th></tr>',
    );
    for (const r of report.requirements) {
      const x = r.results[t.project];
      if (!x) continue;
      // A failure's evidence is shown once, in the Failures section above.
      const details = x.verdict === 'fail'
        ? `<div><a href="#${esc(`fail-${t.project}-${r.id}`)}">${esc(x.reason ?? 'failed')}: evidence above</a></div>`
        : x.tests.length
        ? `<details><summary>${x.tests.length} test(s)${x.reason ? `: ${esc(x.reason)}` : ''}</summary>${x.tests.map(htmlEvidence).join('\n')}</details>`
        : x.reason
          ? `<div class="muted">${esc(x.reason)}</div>`
          : '';
      body.push(
        `<tr id="${esc(`${t.project}-${r.id}`)}"><td><span class="badge ${CLASS[x.verdict]}">${esc(LABEL[x.verdict])}</span></td><td class="id">${esc(r.id)}</td><td>${r.strength}</td>` +
          `<td>${esc(r.statement)}${details}</td><td>${r.sources.map(htmlSource).join('<br>')}</td><td>${ms(x.durationMs)}</td></tr>`,
      );
    }
    body.push('</table>');
  }

  const novelties = report.targets.flatMap((t) =>
    report.requirements.flatMap((r) => (r.results[t.project]?.tests ?? []).flatMap((x) => x.novelties.map((n) => `${r.id} on ${t.project}: ${n}`))),
  );
  if (novelties.length) body.push('<h2>Schema novelty (drift, not failure)</h2><ul>', ...[...new Set(novelties)].map((n) => `<li><code>${esc(n)}</code></li>`), '</ul>');
  if (report.unmapped.length) body.push('<h2>Tests that name no requirement</h2><ul>', ...report.unmapped.map((u) => `<li>${esc(`${u.project} ${u.file} ${u.title}: ${LABEL[u.verdict]}`)}</li>`), '</ul>');
  if (report.run.errors.length) body.push('<h2>Errors outside the tests</h2>', `<pre>${esc(report.run.errors.join('\n\n'))}</pre>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>SPT conformance report</title><style>${CSS}</style></head>
<body>
${body.join('\n')}
</body></html>
`;
}

// --- bounded summary (a pull-request comment, a job summary) -----------------------------------------

/**
 * GitHub refuses a pull-request comment over 65,536 characters and a job summary over 1 MiB; the
 * summary stays under the first with room for the drift section (helpers/drift.ts) `npm run
 * conformance` adds in place of DRIFT_PLACEHOLDER.
 */
export const SUMMARY_LIMIT = 50_000;
/** Where the drift section goes: `npm run conformance` replaces this line after comparing (helpers/drift.ts). */
export const DRIFT_PLACEHOLDER = '<!-- drift: the distinct differences from the reference baseline go here after the run (npm run conformance) -->';

/** n/a reasons with the probe evidence cut off, so the same missing capability counts once. */
const reasonKey = (reason: string) => oneLine(reason.replace(/ \(probe [^)]*(\)|$).*/, ' (probe …)'), 200);

/**
 * summary.md: the verdict counts, the certificate, the exit reasons, one line per failed requirement
 * (what its first failing test expected and what the target answered last), the not-applicable reasons
 * with their counts, and room for the drift's distinct differences; never more than `limit`
 * characters, and it says what it left out. conformance.md and .html have everything.
 */
export function renderSummaryMarkdown(report: ConformanceReport, ctx: RenderContext, limit = SUMMARY_LIMIT): string {
  const head: string[] = ['# SPT conformance summary', ''];
  const aborted = abortNotice(report);
  if (aborted) head.push(`> **${mdCell(aborted)}**`, '');
  head.push(`Suite ${report.environment.suite.version} (${shortCommit(report.environment.suite.commit)}), ${report.environment.sdk.name} ${report.environment.sdk.version}, ${report.environment.generatedAt}.`, '');
  head.push('| target | base URL | MUST passed | SHOULD passed | TENTATIVE passed | not applicable | untested |', '|---|---|---|---|---|---|---|');
  for (const t of report.targets) {
    const s = t.summary;
    head.push(`| ${t.project} | ${mdCell(t.baseUrl ?? 'unknown')} | ${fraction(s.MUST)} | ${fraction(s.SHOULD)} | ${fraction(s.TENTATIVE)} | ${s.notApplicable} | ${s.untested} |`);
  }
  const cert = certificateText(report, ctx);
  head.push('', `**Certificate:** ${cert.headline}${cert.reasons.length ? ` ${cert.reasons.length} reason(s), the first: ${mdCell(cert.reasons[0]!)}` : ''}`, '');
  head.push(`**Exit code ${report.exit.code}.**${report.exit.reasons.length ? ` ${report.exit.reasons.length} reason(s) (the failures below).` : ''}`, '');

  const tail = ['', DRIFT_PLACEHOLDER, '', '---', `Full report: \`${ctx.reportsDir}/conformance.md\` and \`conformance.html\` (every requirement, its sources and the evidence of each failure, with its HTTP exchanges).`];
  let budget = limit - head.join('\n').length - tail.join('\n').length - 400;
  const cuts: string[] = [];
  const take = (rows: string[], what: string): string[] => {
    const kept: string[] = [];
    for (const [i, row] of rows.entries()) {
      if (row.length + 1 > budget) {
        cuts.push(`${rows.length - i} ${what}`);
        break;
      }
      budget -= row.length + 1;
      kept.push(row);
    }
    return kept;
  };

  const failures: string[] = [];
  const notApplicable = new Map<string, number>();
  for (const t of report.targets) {
    for (const r of report.requirements) {
      const x = r.results[t.project];
      if (x?.verdict === 'not applicable' && x.reason) notApplicable.set(reasonKey(x.reason), (notApplicable.get(reasonKey(x.reason)) ?? 0) + 1);
      if (x?.verdict !== 'fail') continue;
      const first = x.tests.find((test) => test.verdict === 'fail')!;
      const answered = lastExchange(first.evidence?.httpLog ?? null) ?? NO_EXCHANGE;
      failures.push(`| ${r.id} | ${r.strength} | ${mdCell(firstErrorLine(first)).replace(/`/g, "'")} | ${mdCell(answered).replace(/`/g, "'")} |`);
    }
  }
  // MUST failures first: what blocks a certificate.
  const rank = (row: string) => (row.includes('| MUST |') ? 0 : row.includes('| SHOULD |') ? 1 : 2);
  failures.sort((a, b) => rank(a) - rank(b));
  const body: string[] = [];
  if (failures.length) {
    body.push(`## Failures (${failures.length})`, '', '| requirement | strength | what the first failing test expected and got | what the target answered last |', '|---|---|---|---|');
    body.push(...take(failures, 'failed requirement(s)'), '');
  }
  if (notApplicable.size) {
    const rows = [...notApplicable].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `| ${n} | ${mdCell(reason)} |`);
    body.push('## Not applicable, by reason', '', '| requirements | reason |', '|---|---|', ...take(rows, 'not-applicable reason(s)'), '');
  }
  if (cuts.length) body.push(`_Cut to stay under ${limit} characters: ${cuts.join(', ')} not shown here._`, '');
  return [...head, ...body, ...tail].join('\n') + '\n';
}
