// A solution's page: its recipe and settings, a table comparing its versions' offline metrics,
// and a card per version (status, training time, what it trained on, hyperparameters, the
// campaigns deploying it, its metrics as a chart on the scales all versions share).
import type { SolutionDetail, VersionView } from '../../src/console/console-training-types.ts';
import { get } from './api.ts';
import { badge, fmt, h, link, when } from './dom.ts';
import { compareTable, metricsChart, metricScale, type MetricScale } from './metric-charts.ts';
import { duration, enc, facts, jsonBlock, redrawing, section } from './widgets.ts';

function hyperParameters(hp: Record<string, string> | undefined): HTMLElement | null {
  if (!hp || Object.keys(hp).length === 0) return null;
  const names = Object.keys(hp).sort();
  return h(
    'details',
    { class: 'hyperparameters', open: names.length <= 8 },
    h('summary', {}, `Hyperparameters (${names.length})`),
    h(
      'table',
      { class: 'kv' },
      h('tbody', {}, ...names.map((n) => h('tr', {}, h('td', { class: 'mono' }, n), h('td', { class: 'mono' }, hp[n])))),
    ),
  );
}

function trainingTime(v: VersionView): string | undefined {
  if (v.elapsedMs === undefined) return undefined;
  const hours = v.trainingHours !== undefined ? ` (trainingHours ${v.trainingHours})` : '';
  return `${duration(v.elapsedMs)} from creation to ${v.status}${hours}`;
}

function versionCard(v: VersionView, scale: MetricScale): HTMLElement {
  const running = v.status === 'CREATE PENDING' || v.status === 'CREATE IN_PROGRESS' || v.status === 'CREATE STOPPING';
  return h(
    'article',
    { class: 'card version', 'data-version': v.id },
    h(
      'h4',
      {},
      h('span', { class: 'mono' }, v.id),
      ' ',
      badge(v.status),
      ' ',
      h('span', { class: 'muted' }, `${v.trainingMode} · ${v.trainingType}`),
    ),
    facts([
      ['created', when(v.createdAt)],
      ['phase', running ? (v.phase ?? 'queued') : undefined],
      ['training time', trainingTime(v)],
      [
        'trained on',
        v.trainingData &&
          `${fmt(v.trainingData.interactions)} interactions · ${fmt(v.trainingData.users)} users · ${fmt(v.trainingData.items)} items`,
      ],
      [
        'deployed in',
        v.campaigns.length > 0
          ? h('span', {}, ...v.campaigns.flatMap((c, i) => [i > 0 ? ', ' : '', link(`#/campaign/${enc(c.arn)}`, c.name)]))
          : undefined,
      ],
    ]),
    v.failureReason ? h('p', { class: 'reason failure-box' }, v.failureReason) : null,
    hyperParameters(v.hyperParameters),
    v.metrics && Object.keys(v.metrics).length > 0
      ? h(
          'figure',
          { class: 'plot' },
          h(
            'figcaption',
            {},
            'Offline metrics',
            scale.versions > 1
              ? h('span', { class: 'legend' }, ' green: the best of the versions; a tick: how far the best one got')
              : null,
          ),
          metricsChart(v.metrics, scale, v.id),
        )
      : running
        ? h('p', { class: 'muted' }, 'Metrics come when the training ends.')
        : null,
  );
}

function render(d: SolutionDetail): HTMLElement {
  const measured = d.versions.filter((v) => v.metrics && Object.keys(v.metrics).length > 0);
  const scale = metricScale(measured.map((v) => v.metrics!));
  return h(
    'div',
    {},
    h('p', {}, link(`#/group/${enc(d.groupArn)}`, `← ${d.groupName}`)),
    h('h2', {}, 'Solution ', h('span', { class: 'mono' }, d.name), ' ', badge(d.status)),
    facts([
      ['recipe', h('span', { class: 'mono' }, d.recipe)],
      ['recipe type', d.recipeType],
      ['HPO', d.performHPO ? 'yes' : 'no'],
      ['automatic training', d.performAutoTraining ? 'yes' : 'no'],
      ['event type', d.eventType],
      ['created', when(d.createdAt)],
      ['latest update', d.latestUpdate && h('span', {}, badge(d.latestUpdate.status), ` ${when(d.latestUpdate.createdAt)}`)],
    ]),
    jsonBlock('solutionConfig', d.solutionConfig),
    d.latestUpdate ? jsonBlock('latest update', d.latestUpdate.config) : null,
    measured.length > 1
      ? section(
          'Compare versions',
          h(
            'div',
            { class: 'scroll' },
            compareTable(
              measured.map((v) => ({ id: v.id, metrics: v.metrics! })),
              scale,
            ),
          ),
        )
      : null,
    section(
      `Versions (${d.versions.length})`,
      d.versions.length === 0
        ? h('p', { class: 'muted' }, 'No versions yet: CreateSolutionVersion (or openpersonalize train) trains one.')
        : h('div', { class: 'cards' }, ...d.versions.map((v) => versionCard(v, scale))),
    ),
  );
}

export const solutionView = (arn: string) => redrawing(() => get<SolutionDetail>('solution', { arn }), render);
