// Contextual recommendations (training-rules.md rules 87 and 122: the request's `context`, keys
// being the Interactions dataset's metadata columns, "works immediately", without retraining).
//
// What a context does here [INF: AWS does not say how]: for a request with context {column: v},
// the user model's logit of item j (τ·f_j: user-model.ts) gains
//     b_j = log( P̂(v | j) / q_v ),   P̂(v | j) = (c_vj + s·q_v) / (c_j + s)
// where c_vj is j's weighted interactions in the training data with that column equal to v, c_j
// its interactions with any value in that column, q_v the share of v among them and s = 10 a
// pseudo-count. This is Bayes' rule with the context independent of the user given the item:
// P(j | user, v) ∝ P(j | user) · P(v | j) / P(v). An item seen mostly in context v gains up to
// log(1 / q_v); one seen often but never in v loses; an item with no interactions in the column
// (a new item) is neutral, and so is any item for a value training never saw. Several columns add
// their terms. Unknown keys are ignored (rule 87), keys and values match in any case.
//
// Artifact sections (user-model.ts writes them when the data had contextual columns):
//   "context"        json  [{ column, values: string[], shares: number[] }]
//   "ctxTotals"      f32   [columns × items]  c_j per column
//   "ctxOffsets"     i32   [Σ values + 1]     value entries, columns and values in order
//   "ctxItems"       i32   [entries]          item index
//   "ctxCounts"      f32   [entries]          c_vj
import type { Artifact, Section } from './artifact.ts';
import { jsonSection, section } from './artifact.ts';
import type { ContextCounts } from '../trainer.ts';

const PSEUDO_COUNT = 10;

interface ColumnHead {
  column: string;
  values: string[];
  shares: number[];
}

export class ContextTables {
  private readonly columnIndex: Map<string, number>;
  private readonly valueIndex: Map<string, number>[];
  /** Where each column's values start in offsets. */
  private readonly firstValue: number[];

  constructor(
    private readonly heads: ColumnHead[],
    private readonly nItems: number,
    private readonly totals: Float32Array,
    private readonly offsets: Int32Array,
    private readonly items: Int32Array,
    private readonly counts: Float32Array,
  ) {
    this.columnIndex = new Map(heads.map((h, c) => [h.column.toUpperCase(), c]));
    this.valueIndex = heads.map((h) => new Map(h.values.map((v, i) => [v.toLowerCase(), i])));
    this.firstValue = [];
    heads.reduce((n, h) => (this.firstValue.push(n), n + h.values.length), 0);
  }

  /** The tables of the training data's contextual columns, over the catalog `itemIds` indexes; undefined without any. */
  static fromData(context: ContextCounts[] | undefined, nItems: number): ContextTables | undefined {
    const columns = (context ?? []).filter((c) => c.values.length > 0);
    if (columns.length === 0) return undefined;
    const totals = new Float32Array(columns.length * nItems);
    const heads: ColumnHead[] = [];
    const offsets: number[] = [0];
    const items: number[] = [];
    const counts: number[] = [];
    columns.forEach((c, k) => {
      const perValue = c.values.map((_, v) => {
        let sum = 0;
        for (let e = c.offsets[v]; e < c.offsets[v + 1]; e++) {
          sum += c.counts[e];
          totals[k * nItems + c.items[e]] += c.counts[e];
          items.push(c.items[e]);
          counts.push(c.counts[e]);
        }
        offsets.push(items.length);
        return sum;
      });
      const all = perValue.reduce((a, b) => a + b, 0);
      heads.push({ column: c.column, values: c.values, shares: perValue.map((x) => (all > 0 ? x / all : 0)) });
    });
    return new ContextTables(heads, nItems, totals, Int32Array.from(offsets), Int32Array.from(items), Float32Array.from(counts));
  }

  /** The columns and values of `context` the tables know, as [column, value] indexes; unknown ones left out. */
  resolve(context: Record<string, string> | undefined): [number, number][] {
    const known: [number, number][] = [];
    for (const [key, value] of Object.entries(context ?? {})) {
      const c = this.columnIndex.get(key.toUpperCase());
      const v = c === undefined ? undefined : this.valueIndex[c].get(String(value).toLowerCase());
      if (c !== undefined && v !== undefined) known.push([c, v]);
    }
    return known.sort((a, b) => a[0] - b[0]);
  }

  /** Adds the context's b_j to `boost` (see the header). */
  addBoost(boost: Float32Array, known: readonly [number, number][]): void {
    for (const [c, v] of known) {
      const q = this.heads[c].shares[v];
      if (!(q > 0)) continue;
      const base = c * this.nItems;
      const entry = this.firstValue[c] + v;
      const lo = this.offsets[entry];
      const hi = this.offsets[entry + 1];
      // Items without an interaction in v: log(s / (c_j + s)); those with one are set right below.
      for (let j = 0; j < this.nItems; j++) {
        const cj = this.totals[base + j];
        if (cj > 0) boost[j] += Math.log(PSEUDO_COUNT / (cj + PSEUDO_COUNT));
      }
      for (let e = lo; e < hi; e++) {
        const j = this.items[e];
        const cj = this.totals[base + j];
        boost[j] +=
          Math.log((this.counts[e] + PSEUDO_COUNT * q) / ((cj + PSEUDO_COUNT) * q)) - Math.log(PSEUDO_COUNT / (cj + PSEUDO_COUNT));
      }
    }
  }

  sections(): Record<string, Section> {
    return {
      context: { json: this.heads },
      ctxTotals: this.totals,
      ctxOffsets: this.offsets,
      ctxItems: this.items,
      ctxCounts: this.counts,
    };
  }

  static load(a: Artifact, nItems: number): ContextTables | undefined {
    if (!a.sections.has('context')) return undefined;
    return new ContextTables(
      jsonSection<ColumnHead[]>(a, 'context'),
      nItems,
      section(a, 'ctxTotals', Float32Array),
      section(a, 'ctxOffsets', Int32Array),
      section(a, 'ctxItems', Int32Array),
      section(a, 'ctxCounts', Float32Array),
    );
  }
}
