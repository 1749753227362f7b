// The pages: dataset groups, one group (its datasets, data deletion jobs, and what it trains and
// serves: group-models.ts), one dataset
// (schema, counts, jobs, plots, rows), one import job. Each returns its element and a refresh() that the router calls on a
// timer, so statuses stay live without reloading the page.
import type {
  DataCoverage,
  DatasetDetail,
  DatasetInsights,
  GroupDetail,
  GroupSummary,
  ImportJobDetail,
  RowsPage,
} from '../../src/console/console-api-types.ts';
import type { GroupModels } from '../../src/console/console-training-types.ts';
import { get } from './api.ts';
import { modelSections } from './group-models.ts';
import { barList, columnChart } from './charts.ts';
import { badge, fmt, h, link, when } from './dom.ts';
import { importJobView, isRunning, jobTable, progressView } from './job-views.ts';

export interface View {
  el: HTMLElement;
  refresh(): Promise<void>;
}

const enc = encodeURIComponent;
const INDIVIDUAL_REDRAW_MS = 10_000;

/** A view whose whole content is rebuilt by `render` on every refresh. */
async function simple(render: () => Promise<HTMLElement>): Promise<View> {
  const el = h('div', {}, await render());
  return { el, refresh: async () => el.replaceChildren(await render()) };
}

export function groupsView(): Promise<View> {
  return simple(async () => {
    const { groups } = await get<{ groups: GroupSummary[] }>('dataset-groups');
    if (groups.length === 0)
      return h('div', {}, h('h2', {}, 'Dataset groups'), h('p', { class: 'muted' }, 'No dataset groups in this account and region.'));
    return h(
      'div',
      {},
      h('h2', {}, 'Dataset groups'),
      h(
        'table',
        {},
        h('thead', {}, h('tr', {}, ...['name', 'status', 'domain', 'datasets', 'created'].map((c) => h('th', {}, c)))),
        h(
          'tbody',
          {},
          ...groups.map((g) =>
            h(
              'tr',
              { 'data-group': g.name },
              h('td', {}, link(`#/group/${enc(g.arn)}`, g.name)),
              h('td', {}, badge(g.status)),
              h('td', {}, g.domain ?? '—'),
              h('td', {}, fmt(g.datasets)),
              h('td', {}, when(g.createdAt)),
            ),
          ),
        ),
      ),
    );
  });
}

export function groupView(arn: string): Promise<View> {
  return simple(async () => {
    const [{ group, datasets, deletions }, models] = await Promise.all([
      get<GroupDetail>('datasets', { group: arn }),
      get<GroupModels>('group/models', { group: arn }),
    ]);
    return h(
      'div',
      {},
      h('p', {}, link('#/', '← dataset groups')),
      h('h2', {}, 'Dataset group ', h('span', { class: 'mono' }, group.name), ' ', badge(group.status)),
      datasets.length === 0
        ? h('p', { class: 'muted' }, 'No datasets yet.')
        : h(
            'table',
            {},
            h('thead', {}, h('tr', {}, ...['dataset', 'type', 'status', 'latest import', 'created'].map((c) => h('th', {}, c)))),
            h(
              'tbody',
              {},
              ...datasets.map((d) =>
                h(
                  'tr',
                  { 'data-dataset': d.name },
                  h('td', {}, link(`#/dataset/${enc(d.arn)}`, d.name)),
                  h('td', {}, d.datasetType),
                  h('td', {}, badge(d.status)),
                  h(
                    'td',
                    {},
                    d.latestImport
                      ? h('span', {}, d.latestImport.name, ' ', badge(d.latestImport.status), progressView(d.latestImport))
                      : '—',
                  ),
                  h('td', {}, when(d.createdAt)),
                ),
              ),
            ),
          ),
      // A data deletion job belongs to the group: it deletes users from every dataset of it.
      jobTable('Data deletion jobs', deletions),
      modelSections(models),
    );
  });
}

function schemaView(d: DatasetDetail): HTMLElement {
  return h(
    'section',
    {},
    h('h3', {}, 'Schema ', h('span', { class: 'mono muted' }, d.schemaName)),
    h(
      'table',
      { class: 'schema' },
      h('thead', {}, h('tr', {}, ...['field', 'type', 'nullable', 'categorical', 'textual'].map((c) => h('th', {}, c)))),
      h(
        'tbody',
        {},
        ...d.schemaFields.map((f) =>
          h(
            'tr',
            {},
            h('td', { class: 'mono' }, f.name),
            h('td', {}, f.type),
            h('td', {}, f.nullable ? 'yes' : ''),
            h('td', {}, f.categorical ? 'yes' : ''),
            h('td', {}, f.textual ? 'yes' : ''),
          ),
        ),
      ),
    ),
    h('details', {}, h('summary', {}, 'Avro schema'), h('pre', {}, d.schemaJson)),
  );
}

const COVERAGE: Record<DataCoverage, string> = { bulk: 'bulk data only', 'bulk+individual': 'bulk data and individual records' };

function insightsView(i: DatasetInsights): HTMLElement {
  // Bulk data and individual records may hold the same IDs (the newest wins) and the same
  // interactions (kept once), so the rows plotted are not always bulk + individual.
  const covered =
    i.covers === 'bulk' && i.individualRows > 0 ? `${COVERAGE.bulk} (too many individual records to merge here)` : COVERAGE[i.covers];
  const counts = h(
    'dl',
    { class: 'facts counts' },
    h('dt', {}, 'rows (bulk)'),
    h('dd', { 'data-count': 'bulk' }, fmt(i.bulkRows)),
    h('dt', {}, 'individual records'),
    h('dd', { 'data-count': 'individual' }, fmt(i.individualRows)),
    h('dt', {}, 'plots and rows cover'),
    h('dd', { 'data-covers': i.covers }, `${covered}: ${fmt(i.rows)} rows`),
  );
  const x = i.interactions;
  if (!x) return h('section', {}, h('h3', {}, 'Data'), counts);
  counts.append(
    h('dt', {}, 'users'),
    h('dd', {}, fmt(x.users)),
    h('dt', {}, 'items'),
    h('dd', {}, fmt(x.items)),
    h('dt', {}, 'interactions per user'),
    h('dd', {}, `median ${fmt(x.medianPerUser)}, max ${fmt(x.maxPerUser)}`),
  );
  return h(
    'section',
    {},
    h('h3', {}, 'Data'),
    counts,
    h(
      'div',
      { class: 'plots' },
      columnChart(`Interactions per ${x.granularity}`, x.perPeriod, {
        xTitle: `${x.granularity} (UTC)`,
        yTitle: 'interactions',
        id: 'per-period',
      }),
      x.eventTypes ? barList('Event types', x.eventTypes, 'event-types') : null,
      barList('Most frequent items', x.topItems, 'top-items', i.rows),
      columnChart('Interactions per user', x.perUserHistogram, { xTitle: 'interactions of a user', yTitle: 'users', id: 'per-user' }),
    ),
  );
}

function rowsView(arn: string): HTMLElement {
  const el = h('section', {}, h('h3', {}, 'Rows'));
  const limit = 25;
  const show = async (offset: number) => {
    const page = await get<RowsPage>('dataset/rows', { arn, offset, limit });
    const last = Math.min(page.total, offset + page.rows.length);
    el.replaceChildren(
      h('h3', {}, 'Rows'),
      h(
        'p',
        { class: 'muted' },
        page.total ? `${fmt(offset + 1)}–${fmt(last)} of ${fmt(page.total)} (${COVERAGE[page.covers]})` : 'No rows.',
        ' ',
        h('button', { disabled: offset === 0, onclick: () => void show(Math.max(0, offset - limit)) }, '‹ previous'),
        ' ',
        h('button', { disabled: last >= page.total, onclick: () => void show(offset + limit) }, 'next ›'),
      ),
      h(
        'div',
        { class: 'scroll' },
        h(
          'table',
          { class: 'rows' },
          h('thead', {}, h('tr', {}, ...page.columns.map((c) => h('th', { class: 'mono' }, c)))),
          h(
            'tbody',
            {},
            ...page.rows.map((r) =>
              h('tr', {}, ...r.map((v) => h('td', {}, v === null ? h('span', { class: 'muted' }, 'null') : String(v)))),
            ),
          ),
        ),
      ),
    );
  };
  void show(0);
  return el;
}

export async function datasetView(arn: string): Promise<View> {
  let d = await get<DatasetDetail>('dataset', { arn });
  const head = h('div', {});
  const jobs = h('div', {});
  const data = h('div', {}, h('p', { class: 'muted' }, 'Computing…'));
  const rows = h('div', {});
  // What the plots and rows shown were computed for.
  let loaded = { at: 0, individual: d.individualRecords };
  const loadData = async () => {
    loaded = { at: Date.now(), individual: d.individualRecords };
    data.replaceChildren(insightsView(await get<DatasetInsights>('dataset/insights', { arn })));
    rows.replaceChildren(rowsView(arn));
  };
  const paint = () => {
    head.replaceChildren(
      h('p', {}, d.groupArn ? link(`#/group/${enc(d.groupArn)}`, `← ${d.groupName}`) : null),
      h('h2', {}, 'Dataset ', h('span', { class: 'mono' }, d.name), ' ', badge(d.status)),
      h(
        'p',
        { class: 'muted' },
        `${d.datasetType} · ${d.bulkParts} bulk part(s) · ${fmt(d.individualRecords)} individual record(s) · created ${when(d.createdAt)}`,
      ),
    );
    jobs.replaceChildren(jobTable('Import jobs', d.imports), jobTable('Export jobs', d.exports));
  };
  paint();
  void loadData();
  const el = h('div', {}, head, schemaView(d), data, jobs, rows);
  return {
    el,
    async refresh() {
      const before = d;
      d = await get<DatasetDetail>('dataset', { arn });
      paint();
      // An import that ended switched the dataset's data: recompute plots and rows. Records put
      // one by one may arrive continuously: those redraw at most every INDIVIDUAL_REDRAW_MS.
      if (d.dataVersion !== before.dataVersion) await loadData();
      else if (d.individualRecords !== loaded.individual && Date.now() - loaded.at >= INDIVIDUAL_REDRAW_MS) await loadData();
    },
  };
}

export async function importView(arn: string): Promise<View> {
  let job = await get<ImportJobDetail>('import-job', { arn });
  const el = h('div', {}, importJobView(job));
  return {
    el,
    async refresh() {
      // An ended job never changes again; only a running one is polled.
      if (!isRunning(job)) return;
      job = await get<ImportJobDetail>('import-job', { arn });
      el.replaceChildren(importJobView(job));
    },
  };
}
