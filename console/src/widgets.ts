// Small pieces the training and serving pages share: a list of facts, a resource table, a JSON
// block, durations, and views that redraw only when what they show changed (so a poll does not
// reset a scrolled table or an opened <details>).
import type { ResourceRow } from '../../src/console/console-training-types.ts';
import { badge, h, when } from './dom.ts';

type Child = Node | string | null | undefined | false;

export const enc = encodeURIComponent;

/** A <dl> of label / value pairs; pairs whose value is undefined, null or '' are left out. */
export function facts(pairs: [string, Child | number | undefined][]): HTMLElement {
  const dl = h('dl', { class: 'facts' });
  for (const [label, value] of pairs) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    dl.append(h('dt', {}, label), h('dd', {}, typeof value === 'number' ? String(value) : value));
  }
  return dl;
}

/** A value as indented JSON in a collapsed block, or nothing when there is none. */
export function jsonBlock(summary: string, value: unknown): HTMLElement | null {
  if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)) return null;
  return h('details', {}, h('summary', {}, summary), h('pre', {}, JSON.stringify(value, null, 2)));
}

/** 850 ms, 3.2 s, 4 min 05 s, 2 h 10 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const sec = ms / 1000;
  if (sec < 60) return `${sec.toFixed(1)} s`;
  const min = Math.floor(sec / 60);
  if (min < 60) return `${min} min ${String(Math.round(sec % 60)).padStart(2, '0')} s`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

export function section(title: string, ...children: Child[]): HTMLElement {
  return h('section', {}, h('h3', {}, title), ...children);
}

/** A table of resources: a linked name, status, what `detail` says, when created, why it failed. */
export function resourceTable(
  rows: ResourceRow[],
  o: { href?: (r: ResourceRow) => string; detail: string; attr: string; extra?: { title: string; cell: (r: ResourceRow) => Child }[] },
): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'None.');
  const extra = o.extra ?? [];
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h('tr', {}, ...['name', 'status', o.detail, ...extra.map((e) => e.title), 'created', 'failure reason'].map((c) => h('th', {}, c))),
    ),
    h(
      'tbody',
      {},
      ...rows.map((r) =>
        h(
          'tr',
          { [`data-${o.attr}`]: r.name },
          h('td', {}, o.href ? h('a', { href: o.href(r) }, r.name) : r.name),
          h('td', {}, badge(r.status)),
          h('td', { class: 'mono detail' }, r.detail ?? ''),
          ...extra.map((e) => h('td', {}, e.cell(r))),
          h('td', {}, when(r.createdAt)),
          h('td', { class: 'reason' }, r.failureReason ?? ''),
        ),
      ),
    ),
  );
}

/** A view that fetches its data and redraws only when the data changed. */
export async function redrawing<T>(
  load: () => Promise<T>,
  render: (data: T) => HTMLElement,
): Promise<{ el: HTMLElement; refresh(): Promise<void> }> {
  let data = await load();
  let seen = JSON.stringify(data);
  const el = h('div', {}, render(data));
  return {
    el,
    async refresh() {
      data = await load();
      const now = JSON.stringify(data);
      if (now === seen) return;
      seen = now;
      el.replaceChildren(render(data));
    },
  };
}
