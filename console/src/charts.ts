// Hand-drawn SVG charts: a column chart (interactions per period, the per-user histogram) and a
// horizontal bar chart (event types, top items). No chart library: these two shapes are all the
// console needs, and a few dozen lines keep the page small and free of run-time dependencies.
import type { CountBar } from '../../src/console/console-api-types.ts';
import { fmt, h, s } from './dom.ts';

const W = 560;

/** Rounded-up axis maximum (1, 2, 5 x 10^k) so gridlines fall on readable numbers. */
function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * p).find((m) => m >= v)!;
}

export function columnChart(title: string, bars: CountBar[], o: { xTitle: string; yTitle: string; id: string }): HTMLElement {
  const H = 220;
  const left = 48;
  const bottom = 44;
  const top = 10;
  const plotW = W - left - 10;
  const plotH = H - bottom - top;
  const max = niceMax(Math.max(0, ...bars.map((b) => b.count)));
  const bw = bars.length ? plotW / bars.length : plotW;
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title, 'data-chart': o.id });
  for (let i = 0; i <= 4; i++) {
    const y = top + plotH - (plotH * i) / 4;
    svg.append(
      s('line', { x1: left, x2: W - 10, y1: y, y2: y, class: 'grid' }),
      s('text', { x: left - 6, y: y + 4, class: 'tick', 'text-anchor': 'end' }, fmt((max * i) / 4)),
    );
  }
  // Label every k-th bar so labels never overlap, however many days there are.
  const every = Math.max(1, Math.ceil(bars.length / 8));
  bars.forEach((b, i) => {
    const bh = (plotH * b.count) / max;
    const x = left + i * bw;
    svg.append(
      s(
        'rect',
        { x: x + bw * 0.1, y: top + plotH - bh, width: Math.max(1, bw * 0.8), height: bh, class: 'bar' },
        s('title', {}, `${b.label}: ${fmt(b.count)}`),
      ),
    );
    if (i % every === 0) svg.append(s('text', { x: x + bw / 2, y: top + plotH + 14, class: 'tick', 'text-anchor': 'middle' }, b.label));
  });
  svg.append(
    s('text', { x: left + plotW / 2, y: H - 6, class: 'axis', 'text-anchor': 'middle' }, o.xTitle),
    s(
      'text',
      { x: 12, y: top + plotH / 2, class: 'axis', 'text-anchor': 'middle', transform: `rotate(-90 12 ${top + plotH / 2})` },
      o.yTitle,
    ),
  );
  return h('figure', { class: 'plot' }, h('figcaption', {}, title), bars.length ? svg : h('p', { class: 'muted' }, 'No data.'));
}

/** Horizontal bars with count and share of `total` (default: the sum of the bars). */
export function barList(title: string, bars: CountBar[], id: string, total = bars.reduce((a, b) => a + b.count, 0)): HTMLElement {
  const row = 22;
  const labelW = 150;
  const H = Math.max(row, bars.length * row) + 4;
  const max = Math.max(1, ...bars.map((b) => b.count));
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': title, 'data-chart': id });
  bars.forEach((b, i) => {
    const y = i * row + 2;
    const w = ((W - labelW - 110) * b.count) / max;
    const label = b.label.length > 22 ? `${b.label.slice(0, 21)}…` : b.label;
    svg.append(
      s('text', { x: labelW - 6, y: y + 15, class: 'tick', 'text-anchor': 'end' }, label, s('title', {}, b.label)),
      s('rect', { x: labelW, y: y + 3, width: Math.max(1, w), height: row - 6, class: 'bar' }),
      s('text', { x: labelW + w + 6, y: y + 15, class: 'tick' }, `${fmt(b.count)} (${((100 * b.count) / (total || 1)).toFixed(1)}%)`),
    );
  });
  return h('figure', { class: 'plot' }, h('figcaption', {}, title), bars.length ? svg : h('p', { class: 'muted' }, 'No data.'));
}
