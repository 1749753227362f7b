// The "try it" panel of a campaign or recommender: the ids its runtime operation takes, a filter
// of the group with a field per $parameter, the number of results; the answer comes from the
// runtime API's own pipeline (POST /console/api/try-it) and is shown with each item's metadata
// from the Items dataset and its score. The only part of the console that sends anything.
import type { ServingDetail, TryItAnswer, TryItRequest } from '../../src/console/console-training-types.ts';
import { ApiFailure, post } from './api.ts';
import { h } from './dom.ts';

const USE: Record<string, string> = { required: 'required', optional: 'optional' };

function idField(name: string, label: string, use: string): { field: HTMLElement | null; input: HTMLInputElement } {
  const input = h('input', { name, size: 18, autocomplete: 'off', required: use === 'required' });
  if (use === 'unused') return { field: null, input };
  return { field: h('label', {}, h('span', {}, `${label} `, h('span', { class: 'muted' }, `(${USE[use]})`)), input), input };
}

/** A metadata value; epoch seconds of a *_TIMESTAMP column also as a date. */
function metadataCell(column: string, value: string | undefined): HTMLElement {
  const cell = h('td', { 'data-column': column }, value ?? '');
  if (value !== undefined && /TIMESTAMP$/.test(column) && /^\d{9,10}$/.test(value)) {
    cell.title = value;
    cell.textContent = new Date(Number(value) * 1000).toISOString().slice(0, 10);
  }
  return cell;
}

function answerView(a: TryItAnswer): HTMLElement {
  const scored = a.items.some((i) => i.score !== undefined);
  const reasons = a.items.some((i) => i.reason || i.promotionName);
  const cols = a.metadataColumns.filter((c) => a.items.some((i) => i.metadata[c] !== undefined));
  const head = ['#', 'item', ...(scored ? ['score'] : []), ...cols, ...(reasons ? ['reason'] : [])];
  return h(
    'div',
    { class: 'answer' },
    h(
      'p',
      { class: 'muted', id: 'try-it-summary' },
      `${a.operation}: ${a.items.length} item(s) in ${a.ms} ms`,
      a.recommendationId ? ` · ${a.recommendationId}` : '',
    ),
    a.items.length === 0
      ? h('p', {}, 'No items: the filter or the data left nothing to recommend.')
      : h(
          'div',
          { class: 'scroll' },
          h(
            'table',
            { class: 'answer-table' },
            h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { class: cols.includes(c) ? 'mono' : '' }, c)))),
            h(
              'tbody',
              {},
              ...a.items.map((it, i) =>
                h(
                  'tr',
                  { 'data-item': it.itemId },
                  h('td', { class: 'num' }, String(i + 1)),
                  h('td', { class: 'mono' }, it.itemId),
                  scored ? h('td', { class: 'num score' }, it.score === undefined ? '—' : String(it.score)) : null,
                  ...cols.map((c) => metadataCell(c, it.metadata[c])),
                  reasons
                    ? h('td', {}, [it.promotionName && `promoted (${it.promotionName})`, ...(it.reason ?? [])].filter(Boolean).join('; '))
                    : null,
                ),
              ),
            ),
          ),
        ),
    h('details', {}, h('summary', {}, 'Request sent to the runtime API'), h('pre', {}, JSON.stringify(a.request, null, 2))),
  );
}

export function tryItPanel(d: ServingDetail): HTMLElement {
  const shape = d.tryIt;
  const panel = h('section', { class: 'try-it', id: 'try-it' }, h('h3', {}, 'Try it ', h('span', { class: 'muted' }, shape.operation)));
  if (shape.unavailable) {
    panel.append(h('p', { class: 'muted', id: 'try-it-unavailable' }, shape.unavailable));
    return panel;
  }
  const user = idField('userId', 'User id', shape.userId);
  const item = idField('itemId', 'Item id', shape.itemId);
  const ranking = shape.operation === 'GetPersonalizedRanking';
  const inputList = h('textarea', { name: 'inputList', rows: 2, cols: 40, placeholder: 'item ids, separated by commas or spaces' });
  const numResults = h('input', { name: 'numResults', type: 'number', min: 1, max: 500, value: 10, size: 5 });
  const filter = h(
    'select',
    { name: 'filter' },
    h('option', { value: '' }, 'no filter'),
    ...shape.filters.map((f) => h('option', { value: f.arn }, f.name)),
  );
  const params = h('div', { class: 'filter-params' });
  let values = new Map<string, HTMLInputElement>();
  filter.addEventListener('change', () => {
    const f = shape.filters.find((x) => x.arn === filter.value);
    values = new Map((f?.parameters ?? []).map((p) => [p, h('input', { name: `param-${p}`, size: 28, placeholder: '"value1","value2"' })]));
    params.replaceChildren(
      f ? h('div', { class: 'mono muted expression' }, f.expression) : '',
      ...[...values].map(([p, input]) => h('label', {}, h('span', { class: 'mono' }, `$${p} `), input)),
      values.size > 0
        ? h('p', { class: 'muted hint' }, 'Values as filterValues takes them: strings in double quotes, several separated by commas.')
        : '',
    );
  });
  const error = h('p', { class: 'error', role: 'alert' });
  const out = h('div', { class: 'try-it-answer' });
  const button = h('button', { type: 'submit' }, ranking ? 'Rank' : 'Recommend');
  const form = h(
    'form',
    { class: 'try-it-form' },
    h(
      'div',
      { class: 'fields' },
      user.field,
      item.field,
      ranking ? h('label', {}, 'Items to rank ', inputList) : h('label', {}, 'Results ', numResults),
    ),
    shape.filters.length > 0 ? h('div', { class: 'fields' }, h('label', {}, 'Filter ', filter)) : null,
    params,
    button,
    error,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const filterValues = Object.fromEntries([...values].filter(([, i]) => i.value.trim() !== '').map(([p, i]) => [p, i.value.trim()]));
    const request: TryItRequest = {
      arn: d.arn,
      ...(user.input.value.trim() ? { userId: user.input.value.trim() } : {}),
      ...(item.input.value.trim() ? { itemId: item.input.value.trim() } : {}),
      ...(ranking ? { inputList: inputList.value.split(/[\s,]+/).filter(Boolean) } : { numResults: Number(numResults.value) || 10 }),
      ...(filter.value ? { filterArn: filter.value, filterValues } : {}),
    };
    error.textContent = '';
    button.disabled = true;
    try {
      out.replaceChildren(answerView(await post<TryItAnswer>('try-it', request)));
    } catch (err) {
      out.replaceChildren();
      error.textContent = err instanceof ApiFailure ? err.message : String(err);
    } finally {
      button.disabled = false;
    }
  });
  panel.append(form, out);
  return panel;
}
