// A campaign's or recommender's page: its status and configuration, its history (creation,
// updates, retrained models) and the try-it panel. The page polls like the others, but the panel
// is built once (it keeps what the user typed and the answer) and only rebuilt when the target's
// availability changes, e.g. when it becomes ACTIVE.
import type { HistoryEntry, ServingDetail } from '../../src/console/console-training-types.ts';
import { get } from './api.ts';
import { badge, h, link, when } from './dom.ts';
import { metricsChart, metricScale } from './metric-charts.ts';
import { tryItPanel } from './try-it-panel.ts';
import { enc, facts, jsonBlock, section } from './widgets.ts';
import type { View } from './views.ts';

function versionLink(arn: string, solutionArn: string | undefined): HTMLElement {
  const short = arn.replace(/^.*:solution\//, '');
  return solutionArn ? link(`#/solution/${enc(solutionArn)}`, h('span', { class: 'mono' }, short)) : h('span', { class: 'mono' }, short);
}

function historyTable(d: ServingDetail): HTMLElement {
  const shown = (e: HistoryEntry) =>
    d.kind === 'campaign' && e.what.includes(':solution/') ? versionLink(e.what, d.solutionArn) : h('span', { class: 'mono' }, e.what);
  return h(
    'table',
    { class: 'history' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['when', 'what happened', d.kind === 'campaign' ? 'deployment' : 'model', 'status', 'configuration'].map((c) => h('th', {}, c)),
      ),
    ),
    h(
      'tbody',
      {},
      ...d.history.map((e) =>
        h(
          'tr',
          { 'data-event': e.event },
          h('td', { class: 'nowrap' }, when(e.at)),
          h('td', {}, e.event),
          h('td', { class: 'nowrap' }, shown(e)),
          h('td', {}, e.status ? badge(e.status) : '', e.failureReason ? h('div', { class: 'reason' }, e.failureReason) : null),
          h('td', { class: 'mono small' }, e.config === undefined ? '' : JSON.stringify(e.config)),
        ),
      ),
    ),
  );
}

function head(d: ServingDetail): HTMLElement {
  const title = d.kind === 'campaign' ? 'Campaign ' : 'Recommender ';
  return h(
    'div',
    {},
    h('p', {}, link(`#/group/${enc(d.groupArn)}`, `← ${d.groupName}`)),
    h('h2', {}, title, h('span', { class: 'mono' }, d.name), ' ', badge(d.status)),
    facts([
      ['recipe', h('span', { class: 'mono' }, d.recipe)],
      ['solution version', d.solutionVersionArn && versionLink(d.solutionVersionArn, d.solutionArn)],
      ['min provisioned TPS', d.minProvisionedTPS],
      ['created', when(d.createdAt)],
      ['last updated', when(d.updatedAt)],
      ['ARN', h('span', { class: 'mono' }, d.arn)],
    ]),
    d.failureReason ? h('p', { class: 'reason failure-box' }, d.failureReason) : null,
    jsonBlock(d.kind === 'campaign' ? 'campaignConfig' : 'recommenderConfig', d.config),
    d.metrics && Object.keys(d.metrics).length > 0
      ? section(
          'Offline metrics of the served model',
          h('figure', { class: 'plot narrow' }, metricsChart(d.metrics, metricScale([d.metrics]), 'served')),
        )
      : null,
    section('History', historyTable(d)),
  );
}

export async function servingView(kind: 'campaign' | 'recommender', arn: string): Promise<View> {
  let d = await get<ServingDetail>(kind, { arn });
  const top = h('div', {}, head(d));
  let panel = tryItPanel(d);
  const el = h('div', {}, top, panel);
  let seen = JSON.stringify(d);
  return {
    el,
    async refresh() {
      const next = await get<ServingDetail>(kind, { arn });
      const now = JSON.stringify(next);
      if (now === seen) return;
      const before = d;
      d = next;
      seen = now;
      top.replaceChildren(head(d));
      if (before.tryIt.unavailable !== d.tryIt.unavailable || JSON.stringify(before.tryIt.filters) !== JSON.stringify(d.tryIt.filters)) {
        const fresh = tryItPanel(d);
        panel.replaceWith(fresh);
        panel = fresh;
      }
    },
  };
}
