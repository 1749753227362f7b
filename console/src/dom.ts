// A tiny element builder. Text is always set as text nodes, never parsed as HTML, so names and
// values from the data (file lines, item ids) cannot inject markup into the page.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function s(tag: string, attrs: Attrs = {}, ...children: Child[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'number' ? String(c) : c);
  }
}

export const fmt = (n: number) => n.toLocaleString('en-US');
export const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A status as a coloured badge: ACTIVE / COMPLETED green, FAILED red, anything pending or in progress amber. */
export function badge(status: string | null): HTMLElement {
  const cls = !status
    ? 'unknown'
    : status.includes('FAILED')
      ? 'failed'
      : status === 'ACTIVE' || status === 'COMPLETED'
        ? 'active'
        : 'pending';
  return h('span', { class: `badge ${cls}` }, status ?? 'unknown');
}

export const link = (href: string, ...children: Child[]) => h('a', { href }, ...children);
