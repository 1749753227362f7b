// Jobs: the tables of a dataset's import / export jobs and of a group's data deletion jobs, a
// running import's progress, and a failed import's reason with the offending lines and the bad
// cell highlighted.
import type { FailureLine, ImportJobDetail, JobSummary } from '../../src/console/console-api-types.ts';
import { badge, bytes, fmt, h, link, when } from './dom.ts';

export const isRunning = (j: JobSummary) => j.status === 'CREATE PENDING' || j.status === 'CREATE IN_PROGRESS';

export function progressView(j: JobSummary): HTMLElement | null {
  const p = j.progress;
  if (!p || !isRunning(j)) return null;
  const pct = p.totalBytes ? Math.min(100, Math.round((100 * (p.bytes ?? 0)) / p.totalBytes)) : undefined;
  const text = [
    p.phase,
    p.rows !== undefined ? `${fmt(p.rows)} rows` : '',
    p.totalBytes ? `${bytes(p.bytes ?? 0)} of ${bytes(p.totalBytes)}` : '',
  ]
    .filter(Boolean)
    .join(' · ');
  const bar = h('progress', { max: 100, class: 'progress' });
  if (pct !== undefined) bar.value = pct;
  return h('div', { class: 'progress-line', 'data-progress': j.arn }, bar, h('span', { class: 'muted' }, text));
}

export function jobTable(title: string, jobs: JobSummary[]): HTMLElement {
  if (jobs.length === 0) return h('section', {}, h('h3', {}, title), h('p', { class: 'muted' }, 'None.'));
  // Deletion jobs have no mode; what they show instead is how many users they deleted.
  const deletions = jobs.every((j) => j.kind === 'deletion');
  const rows = jobs.map((j) =>
    h(
      'tr',
      { 'data-job': j.name },
      h('td', {}, j.kind === 'import' ? link(`#/import/${encodeURIComponent(j.arn)}`, j.name) : j.name),
      h('td', {}, badge(j.status), progressView(j)),
      deletions ? h('td', { class: 'num-deleted' }, j.numDeleted === undefined ? '' : fmt(j.numDeleted)) : h('td', {}, j.mode ?? ''),
      h('td', { class: 'mono' }, j.location ?? ''),
      h('td', {}, when(j.createdAt)),
      h(
        'td',
        { class: 'reason' },
        j.failureReason ? (j.failureReason.length > 160 ? `${j.failureReason.slice(0, 159)}…` : j.failureReason) : '',
      ),
    ),
  );
  return h(
    'section',
    {},
    h('h3', {}, title),
    h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ...['name', 'status', deletions ? 'users deleted' : 'mode', 'location', 'created', 'failure reason'].map((c) => h('th', {}, c)),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
  );
}

/** One offending line: the physical line number, then its cells with the bad one marked. */
function lineView(p: FailureLine): HTMLElement {
  const where = `${p.file}${p.line > 0 ? ` line ${p.line}` : ''}${p.column ? `, column ${p.column}` : ''}`;
  const code = h('code', { class: 'line-text' });
  if (p.cells) {
    p.cells.forEach((cell, i) => {
      if (i > 0) code.append(',');
      code.append(i === p.cellIndex ? h('mark', { class: 'bad-cell' }, cell === '' ? '∅' : cell) : cell);
    });
  } else if (p.text !== undefined) code.append(p.text);
  return h(
    'li',
    { class: 'problem', 'data-line': p.line },
    h('div', { class: 'where' }, where, ': ', h('strong', {}, p.rule)),
    p.text !== undefined ? h('div', { class: 'offending-line' }, h('span', { class: 'lineno' }, String(p.line)), code) : null,
  );
}

export function importJobView(j: ImportJobDetail): HTMLElement {
  const back = j.datasetArn ? link(`#/dataset/${encodeURIComponent(j.datasetArn)}`, '← dataset') : null;
  return h(
    'div',
    {},
    h('p', {}, back),
    h('h2', {}, 'Import job ', h('span', { class: 'mono' }, j.name), ' ', badge(j.status)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'data location'),
      h('dd', { class: 'mono' }, j.location ?? ''),
      h('dt', {}, 'mode'),
      h('dd', {}, j.mode ?? ''),
      h('dt', {}, 'created'),
      h('dd', {}, when(j.createdAt)),
      h('dt', {}, 'last updated'),
      h('dd', {}, when(j.updatedAt)),
      j.progress?.rows !== undefined ? h('dt', {}, 'rows read') : null,
      j.progress?.rows !== undefined ? h('dd', {}, fmt(j.progress.rows)) : null,
    ),
    progressView(j),
    j.failureReason
      ? h(
          'section',
          { class: 'failure' },
          h('h3', {}, 'Why it failed'),
          h('p', { class: 'reason', id: 'failure-reason' }, j.failureReason),
          j.header ? h('div', { class: 'offending-line header-line' }, h('span', { class: 'lineno' }, '1'), h('code', {}, j.header)) : null,
          j.problems.length ? h('ol', { class: 'problems' }, ...j.problems.map(lineView)) : null,
        )
      : null,
  );
}
