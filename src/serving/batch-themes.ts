// Themes for batch inference jobs in THEME_GENERATION mode (training-rules.md rules 109, 111;
// Similar-Items only). AWS's Content Generator writes a theme with a generative model from "the
// item description and item name data in your Items dataset" and ranks each set of items by how
// relevant the theme is to each, with scores "in a rough range of -0.1 and 0.6". No generative
// model runs here; the theme is derived from the items' own fields, as follows [INF]:
//  * an item's terms: the values of its categorical columns (`Comedy`, each `|` part), and the
//    words of its textual columns and of its name (the itemName column), tokenized as the
//    Similar-Items model does (lower case, no stop words). A term's weight is its inverse
//    frequency over the whole Items dataset, ln((N + 1) / (df + 1)): a term every item has says
//    nothing about a set;
//  * the theme of a line (its item and the items recommended for it): the two terms that most of
//    the set share (at least two of its items), ranked by (share of the set) × weight, written
//    `<Term> and <Term>: more like <name of the line's item>` (words capitalised, categorical
//    values as written); with no shared term, `More like <name>`;
//  * each recommended item's relevance: the share of the theme it has — the weights (rank
//    scores) of the theme's terms it has over those of all of them; the line's item's own terms,
//    weighted, when the theme names none — mapped linearly from [0, 1] onto AWS's range
//    [-0.1, 0.6] and rounded to 7 decimals. The items are listed by relevance, highest first
//    (ties keep the model's order).
import { columnValues, tokenize } from '../training/models/item-metadata.ts';

type Rows = ReadonlyMap<string, Readonly<Record<string, unknown>>>;

export interface ThemeColumns {
  /** Categorical string columns: their values are terms. */
  categorical: string[];
  /** Textual columns: their words are terms. */
  textual: string[];
  /** The column holding the items' names (themeGenerationConfig.fieldsForThemeGeneration.itemName). */
  itemName: string;
}

export interface Themed {
  theme: string;
  /** The recommended items, most relevant to the theme first. */
  items: string[];
  itemsThemeRelevanceScores: number[];
}

/** Terms shown in a theme. */
const THEME_TERMS = 2;

const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

export class ThemeMaker {
  private readonly df = new Map<string, number>();
  private readonly labels = new Map<string, string>();

  constructor(
    private readonly rows: Rows,
    private readonly columns: ThemeColumns,
  ) {
    for (const row of rows.values()) for (const term of this.termsOf(row)) this.df.set(term, (this.df.get(term) ?? 0) + 1);
  }

  /** The distinct terms of an Items row (see the header), remembering each one's label. */
  private termsOf(row: Readonly<Record<string, unknown>> | undefined): Set<string> {
    const terms = new Set<string>();
    if (!row) return terms;
    for (const column of this.columns.categorical) {
      const v = row[column];
      for (const value of columnValues(typeof v === 'string' ? v : null, 'categorical')) {
        const key = `c:${column.toUpperCase()}\u0000${value}`;
        terms.add(key);
        this.labels.set(key, value);
      }
    }
    for (const column of [...this.columns.textual, this.columns.itemName]) {
      const v = row[column];
      if (typeof v !== 'string') continue;
      for (const word of tokenize(v)) {
        const key = `w:${word}`;
        terms.add(key);
        this.labels.set(key, capitalised(word));
      }
    }
    return terms;
  }

  private weight(term: string): number {
    return Math.log((this.rows.size + 1) / ((this.df.get(term) ?? 0) + 1));
  }

  /** The share of the target's weight that the terms cover. */
  private coverage(target: ReadonlyMap<string, number>, terms: ReadonlySet<string>): number {
    let total = 0;
    let covered = 0;
    for (const [t, w] of target) {
      total += w;
      if (terms.has(t)) covered += w;
    }
    return total > 0 ? covered / total : 0;
  }

  themeOf(itemId: string, recommended: readonly string[]): Themed {
    const query = this.rows.get(itemId);
    const queryTerms = this.termsOf(query);
    const termsOfItem = new Map(recommended.map((id) => [id, this.termsOf(this.rows.get(id))]));
    const counts = new Map<string, number>();
    for (const terms of [queryTerms, ...termsOfItem.values()]) for (const t of terms) counts.set(t, (counts.get(t) ?? 0) + 1);
    const size = recommended.length + 1;
    const ranked = [...counts]
      .filter(([t, c]) => c >= 2 && this.weight(t) > 0)
      .map(([t, c]) => ({ t, score: (c / size) * this.weight(t) }))
      .sort((a, b) => b.score - a.score || (a.t < b.t ? -1 : 1))
      .slice(0, THEME_TERMS);
    const name = typeof query?.[this.columns.itemName] === 'string' ? (query[this.columns.itemName] as string).trim() : '';
    const words = ranked.map((r) => this.labels.get(r.t)!);
    const theme =
      words.length > 0 ? `${words.join(' and ')}${name ? `: more like ${name}` : ' picks'}` : name ? `More like ${name}` : 'More like this';
    const target = new Map<string, number>(
      ranked.length > 0 ? ranked.map((r) => [r.t, r.score]) : [...queryTerms].map((t) => [t, this.weight(t)]),
    );
    const scored = recommended.map((id, i) => {
      const relevance = 0.7 * this.coverage(target, termsOfItem.get(id)!) - 0.1;
      return { id, i, score: Math.round(relevance * 1e7) / 1e7 };
    });
    scored.sort((a, b) => b.score - a.score || a.i - b.i);
    return { theme, items: scored.map((s) => s.id), itemsThemeRelevanceScores: scored.map((s) => s.score) };
  }
}
