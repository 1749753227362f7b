// A batch inference or segment job's page: what it reads and writes, how far it got over its
// input files, why it failed, and the first lines of its completed `.out` files.
import type { BatchJobDetail } from '../../src/console/console-training-types.ts';
import { get } from './api.ts';
import { badge, fmt, h, link, when } from './dom.ts';
import { enc, facts, jsonBlock, redrawing, section } from './widgets.ts';

function progress(j: BatchJobDetail): HTMLElement | undefined {
  if (j.files === undefined) return undefined;
  const bar = h('progress', { max: j.files || 1, class: 'progress' });
  bar.value = j.filesDone ?? 0;
  return h(
    'span',
    { class: 'progress-line', 'data-progress': j.arn },
    bar,
    h(
      'span',
      {},
      `${fmt(j.filesDone ?? 0)} of ${fmt(j.files)} file(s) · ${fmt(j.lines ?? 0)} line(s) · ${fmt(j.errors ?? 0)} with an error`,
    ),
  );
}

function previewView(j: BatchJobDetail): HTMLElement {
  if (j.preview.length === 0)
    return h(
      'p',
      { class: 'muted' },
      j.status === 'ACTIVE' ? 'No output files.' : 'No output yet: files show here as the job completes them.',
    );
  return h(
    'div',
    {},
    ...j.preview.map((p) =>
      h(
        'div',
        { class: 'out-file', 'data-file': p.file },
        h('div', { class: 'mono out-name' }, p.file),
        p.error
          ? h('p', { class: 'error' }, p.error)
          : h(
              'pre',
              { class: 'out-lines' },
              ...p.lines.flatMap((l, i) => [h('span', { class: 'lineno' }, String(i + 1).padStart(2)), ` ${l}\n`]),
              p.truncated ? h('span', { class: 'muted' }, '…\n') : '',
            ),
      ),
    ),
  );
}

function render(j: BatchJobDetail): HTMLElement {
  return h(
    'div',
    {},
    h('p', {}, link(`#/group/${enc(j.groupArn)}`, `← ${j.groupName}`)),
    h(
      'h2',
      {},
      j.kind === 'segment' ? 'Batch segment job ' : 'Batch inference job ',
      h('span', { class: 'mono' }, j.name),
      ' ',
      badge(j.status),
    ),
    facts([
      [
        'solution version',
        j.solutionArn ? link(`#/solution/${enc(j.solutionArn)}`, h('span', { class: 'mono' }, j.solutionVersionArn)) : j.solutionVersionArn,
      ],
      ['recipe', h('span', { class: 'mono' }, j.recipe)],
      ['mode', j.mode],
      ['filter', j.filterArn && h('span', { class: 'mono' }, j.filterArn)],
      ['results per line', j.numResults],
      ['input', h('span', { class: 'mono' }, j.inputPath)],
      ['output', h('span', { class: 'mono' }, j.outputPath)],
      ['progress', progress(j)],
      ['created', when(j.createdAt)],
      ['last updated', when(j.updatedAt)],
    ]),
    jsonBlock('job configuration', j.config),
    j.failureReason ? h('p', { class: 'reason failure-box', id: 'failure-reason' }, j.failureReason) : null,
    section('Output', previewView(j)),
  );
}

export const batchJobView = (arn: string) => redrawing(() => get<BatchJobDetail>('batch-job', { arn }), render);
