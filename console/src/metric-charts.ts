// Offline metrics drawn by hand in SVG: one chart per solution version (a bar per metric) on
// scales shared by every version of the solution, with a tick at the best value any version
// reached, so two versions' charts read side by side; and a table comparing them, best in bold.
import { h, s } from './dom.ts';

/** A short label for AWS's metric names (normalized_discounted_cumulative_gain_at_25 -> NDCG@25). */
export function metricLabel(name: string): string {
  const m = /^(.*)_at_(\d+)(_percent)?$/.exec(name);
  const short: Record<string, string> = {
    normalized_discounted_cumulative_gain: 'NDCG',
    mean_reciprocal_rank: 'MRR',
    precision: 'precision',
    hits: 'hits',
    recall: 'recall',
  };
  if (!m) return name.replace(/_/g, ' ');
  return `${short[m[1]] ?? m[1].replace(/_/g, ' ')}@${m[2]}${m[3] ? '%' : ''}`;
}

const FAMILY = ['coverage', 'mean_reciprocal_rank', 'normalized_discounted_cumulative_gain', 'precision', 'hits', 'recall'];

/** Metrics in a stable order: coverage, MRR, NDCG@5/10/25, precision@5/10/25, others by name. */
export function orderMetrics(names: Iterable<string>): string[] {
  const key = (n: string): [number, number, string] => {
    const m = /^(.*?)(?:_at_(\d+).*)?$/.exec(n)!;
    const f = FAMILY.indexOf(m[1]);
    return [f < 0 ? FAMILY.length : f, Number(m[2] ?? 0), n];
  };
  return [...new Set(names)].sort((a, b) => {
    const [fa, ka, na] = key(a);
    const [fb, kb, nb] = key(b);
    return fa - fb || ka - kb || (na < nb ? -1 : na > nb ? 1 : 0);
  });
}

export interface MetricScale {
  /** How many versions share the scales: with one, there is no best to mark. */
  versions: number;
  /** Each metric's axis maximum: 1 for shares, else the largest value any version has. */
  max: Map<string, number>;
  /** The best value any version has, per metric. */
  best: Map<string, number>;
}

export function metricScale(all: Record<string, number>[]): MetricScale {
  const best = new Map<string, number>();
  for (const metrics of all) for (const [k, v] of Object.entries(metrics)) best.set(k, Math.max(best.get(k) ?? -Infinity, v));
  return { versions: all.length, best, max: new Map([...best].map(([k, v]) => [k, Math.max(1, v)])) };
}

const W = 420;
const ROW = 20;
const LABEL_W = 96;
const VALUE_W = 56;

/** One version's metrics as horizontal bars on the shared scales. */
export function metricsChart(metrics: Record<string, number>, scale: MetricScale, id: string): SVGElement {
  const names = orderMetrics(Object.keys(metrics));
  const plotW = W - LABEL_W - VALUE_W;
  const H = names.length * ROW + 18;
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`,
    class: 'chart metrics',
    role: 'img',
    'aria-label': `offline metrics of ${id}`,
    'data-chart': `metrics-${id}`,
  });
  // Gridlines at quarters of the scale (0, .25, .5, .75, 1 for shares).
  for (let i = 0; i <= 4; i++) {
    const x = LABEL_W + (plotW * i) / 4;
    svg.append(s('line', { x1: x, x2: x, y1: 0, y2: names.length * ROW, class: 'grid' }));
    svg.append(s('text', { x, y: H - 4, class: 'tick', 'text-anchor': 'middle' }, i === 0 ? '0' : String(i / 4)));
  }
  names.forEach((name, i) => {
    const y = i * ROW;
    const max = scale.max.get(name) ?? 1;
    const w = (plotW * Math.max(0, metrics[name])) / max;
    const best = scale.best.get(name) ?? metrics[name];
    const isBest = scale.versions > 1 && metrics[name] >= best;
    svg.append(
      s('text', { x: LABEL_W - 6, y: y + 14, class: 'tick', 'text-anchor': 'end' }, metricLabel(name), s('title', {}, name)),
      s(
        'rect',
        { x: LABEL_W, y: y + 4, width: Math.max(1, w), height: ROW - 8, class: isBest ? 'bar best' : 'bar', 'data-metric': name },
        s('title', {}, `${name}: ${metrics[name]}${max > 1 ? ` (axis 0–${max})` : ''}`),
      ),
      s('text', { x: W - VALUE_W + 6, y: y + 14, class: 'tick value' }, metrics[name].toFixed(4)),
    );
    // Where the best version reached, when it is not this one.
    if (scale.versions > 1 && !isBest) {
      const bx = LABEL_W + (plotW * best) / max;
      svg.append(s('line', { x1: bx, x2: bx, y1: y + 2, y2: y + ROW - 2, class: 'best-mark' }, s('title', {}, `best version: ${best}`)));
    }
  });
  return svg;
}

/** A table of the versions' metrics side by side (columns newest first, as listed), the best of each row in bold. */
export function compareTable(versions: { id: string; metrics: Record<string, number> }[], scale: MetricScale): HTMLElement {
  const names = orderMetrics(versions.flatMap((v) => Object.keys(v.metrics)));
  return h(
    'table',
    { class: 'compare' },
    h('thead', {}, h('tr', {}, h('th', {}, 'metric'), ...versions.map((v) => h('th', { class: 'mono' }, v.id)))),
    h(
      'tbody',
      {},
      ...names.map((n) =>
        h(
          'tr',
          { 'data-metric': n },
          h('td', { title: n }, metricLabel(n)),
          ...versions.map((v) => {
            const x = v.metrics[n];
            if (x === undefined) return h('td', { class: 'num muted' }, '—');
            return h('td', { class: x >= (scale.best.get(n) ?? x) && versions.length > 1 ? 'num best' : 'num' }, x.toFixed(4));
          }),
        ),
      ),
    ),
  );
}
