// How well Semantic-Similarity's text embedders find related items, against plain TF-IDF cosine,
// on synthetic catalogs with planted topics whose items describe the topic with synonyms
// (test/training/semantic-synthetic.ts). The figure is topic precision@10: the share of an item's
// 10 nearest items that belong to its topic, averaged over (up to 400 evenly spread) items.
//   node --import tsx bench/training/semantic-quality.ts
// Methods: plain TF-IDF cosine (raw word tokens), TF-IDF over our terms (stemmed words, subwords
// for rare words), LSA (64 and 128 dimensions) and the term expansion the recipe uses.
import { denseNeighbours, plantedCatalog, type CatalogOptions } from '../../test/training/semantic-synthetic.ts';
import type { Csr } from '../../src/training/models/randomized-svd.ts';
import { expandedVectors } from '../../src/training/models/term-expansion.ts';
import { lsaEmbedder, tfidfMatrix, type ItemText } from '../../src/training/models/text-embedding.ts';

const CATALOGS: [string, CatalogOptions][] = [
  ['20 topics × 25 items, 3 synonyms, 20 % topic words', { topics: 20, itemsPerTopic: 25, topicShare: 0.2 }],
  ['100 topics × 10 items in 10 groups, 3 synonyms', { topics: 100, itemsPerTopic: 10, groups: 10, topicShare: 0.25 }],
  ['200 topics × 20 items in 20 groups, 4 synonyms', { topics: 200, itemsPerTopic: 20, groups: 20, topicShare: 0.25, synonyms: 4 }],
];

/** Top-k rows by sparse dot product with row i (i excluded), through an inverted index. */
function sparseNeighbours(x: Csr, postings: number[][], i: number, k: number): number[] {
  const scores = new Float64Array(x.rows);
  for (let e = x.offsets[i]; e < x.offsets[i + 1]; e++) {
    const w = x.value[e];
    for (const p of postings[x.index[e]]) scores[p] += w * valueAt(x, p, x.index[e]);
  }
  scores[i] = -Infinity;
  return Array.from(scores.keys())
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, k);
}

function valueAt(x: Csr, row: number, col: number): number {
  for (let e = x.offsets[row]; e < x.offsets[row + 1]; e++) if (x.index[e] === col) return x.value[e];
  return 0;
}

function postingsOf(x: Csr): number[][] {
  const out: number[][] = Array.from({ length: x.cols }, () => []);
  for (let r = 0; r < x.rows; r++) for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) out[x.index[e]].push(r);
  return out;
}

async function main() {
  console.log('| catalog | items | plain TF-IDF | TF-IDF, our terms | LSA 64 | LSA 128 | term expansion (the recipe) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [label, options] of CATALOGS) {
    const catalog = plantedCatalog(options);
    const texts: ItemText[] = catalog.items.map((it) => ({ name: it.name, text: it.text, tags: [] }));
    const sample = Array.from({ length: Math.min(400, texts.length) }, (_, j) =>
      Math.floor((j * texts.length) / Math.min(400, texts.length)),
    );
    const precision = (neighbours: (i: number) => number[]) =>
      sample.reduce((s, i) => s + neighbours(i).filter((j) => catalog.items[j].topic === catalog.items[i].topic).length / 10, 0) /
      sample.length;
    const cell = async (make: () => Promise<(i: number) => number[]>) => {
      const t0 = performance.now();
      const neighbours = await make();
      const ms = performance.now() - t0;
      return `${precision(neighbours).toFixed(3)} (${(ms / 1000).toFixed(1)} s)`;
    };
    const sparse = (x: Csr) => {
      const postings = postingsOf(x);
      return (i: number) => sparseNeighbours(x, postings, i, 10);
    };
    const lsa = (dimensions: number) => async () => {
      const v = await lsaEmbedder({ dimensions }).embed(texts);
      if (v.kind !== 'dense') throw new Error('LSA is dense');
      return (i: number) => denseNeighbours(v.vectors, v.dimensions, i, 10);
    };
    const cells = [
      await cell(async () => sparse(tfidfMatrix(texts, { stem: false, subwords: false }))),
      await cell(async () => sparse(tfidfMatrix(texts))),
      await cell(lsa(64)),
      await cell(lsa(128)),
      await cell(async () => sparse(await expandedVectors(tfidfMatrix(texts)))),
    ];
    console.log(`| ${label} | ${texts.length} | ${cells.join(' | ')} |`);
  }
  console.log('(seconds: building the vectors, not the queries; with 10 items per topic precision@10 is at most 0.9)');
}

await main();
