// aws-semantic-similarity on synthetic catalogs with planted topics written with synonyms
// (semantic-synthetic.ts): the term expansion finds an item's topic where plain TF-IDF cosine
// needs shared words; the model returns the neighbours, falls back to popular items, re-ranks by
// rankingInfluence without bringing in unrelated items, takes a dense embedder through the same
// interface, and loads back from its artifact; the randomized SVD under LSA is exact on a small
// matrix.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainingData } from '../../src/training/trainer.ts';
import { randomizedSvd, symmetricEigen, type Csr } from '../../src/training/models/randomized-svd.ts';
import {
  semanticSimilarityTrainer,
  SemanticSimilarityModel,
  trainSemanticSimilarity,
} from '../../src/training/models/semantic-similarity.ts';
import { expandedVectors } from '../../src/training/models/term-expansion.ts';
import { lsaEmbedder, stem, tfidfMatrix } from '../../src/training/models/text-embedding.ts';
import { denseNeighbours, plantedCatalog, topicPrecision, type PlantedCatalog } from './semantic-synthetic.ts';

/** Items-only TrainingData of a catalog (TITLE is the itemName, DESCRIPTION textual), with optional interactions. */
function itemsData(catalog: PlantedCatalog, interactions: [string, string][] = [], created?: (i: number) => number): TrainingData {
  const userIds = [...new Set(interactions.map(([u]) => u))].sort();
  const itemIds = [...new Set(interactions.map(([, i]) => i))].sort();
  return {
    userIds,
    itemIds,
    user: Int32Array.from(interactions, ([u]) => userIds.indexOf(u)),
    item: Int32Array.from(interactions, ([, i]) => itemIds.indexOf(i)),
    time: Float64Array.from(interactions, (_, k) => k),
    weight: new Float32Array(interactions.length).fill(1),
    eventType: new Int32Array(interactions.length),
    eventTypes: [],
    items: new Map(
      catalog.items.map((it, i) => [
        it.id,
        { TITLE: it.name, DESCRIPTION: it.text, ...(created ? { CREATION_TIMESTAMP: created(i) } : {}) },
      ]),
    ),
    itemFields: [
      { name: 'TITLE', type: 'string', categorical: false, textual: false, itemName: true },
      { name: 'DESCRIPTION', type: 'string', categorical: false, textual: true },
      ...(created ? [{ name: 'CREATION_TIMESTAMP', type: 'long', categorical: false, textual: false }] : []),
    ],
  };
}

function sparsePrecision(catalog: PlantedCatalog, x: Csr): number {
  const rows = Array.from({ length: x.rows }, (_, r) => {
    const m = new Map<number, number>();
    for (let e = x.offsets[r]; e < x.offsets[r + 1]; e++) m.set(x.index[e], x.value[e]);
    return m;
  });
  return topicPrecision(catalog, (i, k) => {
    const scores = rows.map((row, j) => {
      let s = 0;
      if (j !== i) for (const [c, v] of rows[i]) s += v * (row.get(c) ?? 0);
      return [j, s] as const;
    });
    return scores
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([j]) => j);
  });
}

describe('aws-semantic-similarity', () => {
  const catalog = plantedCatalog({ topics: 40, itemsPerTopic: 15, groups: 8, topicShare: 0.25 });

  it('finds the planted topics where plain TF-IDF cosine needs shared words', async () => {
    const texts = catalog.items.map((it) => ({ name: it.name, text: it.text, tags: [] }));
    const plain = sparsePrecision(catalog, tfidfMatrix(texts, { stem: false, subwords: false }));
    const expanded = sparsePrecision(catalog, await expandedVectors(tfidfMatrix(texts)));
    assert.ok(expanded > 0.85, `term expansion ${expanded}, TF-IDF ${plain}`);
    assert.ok(expanded > plain + 0.2, `term expansion ${expanded} vs TF-IDF ${plain}`);
  });

  it('returns an item’s topic neighbours, not the item itself, and popular items for an unknown item', async () => {
    const interactions: [string, string][] = [];
    // t5-i3 is the most popular item, then t7-i0.
    for (let u = 0; u < 30; u++) interactions.push([`u${u}`, 't5-i3'], ...(u < 20 ? [[`u${u}`, 't7-i0'] as [string, string]] : []));
    const model = await semanticSimilarityTrainer.train(itemsData(catalog, interactions), {});
    const recs = model.recommend({ history: [], itemId: 't3-i4', k: 9 });
    assert.equal(recs.length, 9);
    assert.ok(!recs.some((r) => r.item === 't3-i4'));
    assert.ok(recs.every((r) => r.score === undefined));
    assert.ok(recs.filter((r) => r.item.startsWith('t3-')).length >= 8, recs.map((r) => r.item).join(','));
    const unknown = model.recommend({ history: [], itemId: 'not-an-item', k: 2 });
    assert.deepEqual(
      unknown.map((r) => r.item),
      ['t5-i3', 't7-i0'],
    );
  });

  it('re-ranks the similar items by popularity and freshness (rankingInfluence), never bringing in other topics', async () => {
    const interactions: [string, string][] = [];
    for (let u = 0; u < 40; u++) interactions.push([`u${u}`, 't2-i9'], [`u${u}`, 't9-i1']);
    const newest = catalog.items.findIndex((it) => it.id === 't2-i9');
    const model = (await trainSemanticSimilarity(
      itemsData(catalog, interactions, (i) => (i === newest ? 1_800_000_000 : 1_700_000_000 + i)),
    )) as SemanticSimilarityModel;
    const plain = model.recommend({ history: [], itemId: 't2-i0', k: 9 }).map((r) => r.item);
    const popular = model.withRankingInfluence({ popularity: 1, freshness: 0 }).recommend({ history: [], itemId: 't2-i0', k: 9 });
    assert.equal(popular[0].item, 't2-i9', 'the popular similar item first');
    assert.ok(!popular.some((r) => r.item === 't9-i1'), 'a popular item of another topic stays out');
    assert.deepEqual(new Set(popular.map((r) => r.item)), new Set(plain));
    const fresh = model.withRankingInfluence({ popularity: 0, freshness: 1 }).recommend({ history: [], itemId: 't2-i0', k: 9 });
    assert.equal(fresh[0].item, 't2-i9', 't2-i9 is also the newest item');
    assert.deepEqual(
      model.recommend({ history: [], itemId: 't2-i0', k: 9 }).map((r) => r.item),
      plain,
      'the deployed model is unchanged',
    );
  });

  it('takes a dense embedder through the same interface (LSA here, a pretrained model elsewhere), and loads back', async () => {
    const small = plantedCatalog({ topics: 10, itemsPerTopic: 15 });
    const model = await trainSemanticSimilarity(itemsData(small), lsaEmbedder({ dimensions: 16 }));
    assert.equal(model.vectors.kind, 'dense');
    const again = SemanticSimilarityModel.load(model.serialize());
    assert.equal(again.embedder, 'lsa-16');
    const precision = topicPrecision(small, (i, k) =>
      again.recommend({ history: [], itemId: small.items[i].id, k }).map((r) => small.items.findIndex((it) => it.id === r.item)),
    );
    assert.ok(precision > 0.9, `LSA precision ${precision}`);
    const sparse = await semanticSimilarityTrainer.train(itemsData(small), {});
    const loaded = semanticSimilarityTrainer.load(sparse.serialize());
    for (const it of small.items.slice(0, 20))
      assert.deepEqual(loaded.recommend({ history: [], itemId: it.id, k: 10 }), sparse.recommend({ history: [], itemId: it.id, k: 10 }));
  });

  it('stems inflections consistently and reads a misspelt rare word as the word it misspells', () => {
    for (const [a, b] of [
      ['running', 'runs'],
      ['stories', 'story'],
      ['walked', 'walking'],
    ])
      assert.equal(stem(a), stem(b), `${a} / ${b}`);
    assert.equal(stem('glass'), 'glass');
    // A word only one item uses is read as the vocabulary word it is a misspelling of.
    const x = tfidfMatrix([
      { name: 'Dark chocolate', text: 'bitter', tags: [] },
      { name: 'Milk chocolate', text: 'sweet', tags: [] },
      { name: 'Chocolte cake', text: '', tags: [] },
    ]);
    const terms = (r: number) => Array.from(x.index.subarray(x.offsets[r], x.offsets[r + 1]));
    const chocolate = terms(0).filter((t) => terms(1).includes(t));
    assert.equal(chocolate.length, 1);
    assert.deepEqual(terms(2), chocolate);
  });

  it('randomized SVD: the singular values of a small matrix, orthonormal U', async () => {
    // A 6 × 4 matrix of rank 3.
    const dense = [
      [1, 0, 2, 0],
      [0, 3, 0, 1],
      [1, 3, 2, 1],
      [2, 0, 4, 0],
      [0, 1, 0, 2],
      [0, 0, 0, 0],
    ];
    const offsets = [0];
    const index: number[] = [];
    const value: number[] = [];
    for (const row of dense) {
      row.forEach((v, c) => v !== 0 && (index.push(c), value.push(v)));
      offsets.push(index.length);
    }
    const x: Csr = { rows: 6, cols: 4, offsets: Int32Array.from(offsets), index: Int32Array.from(index), value: Float32Array.from(value) };
    const svd = await randomizedSvd(x, 3, { oversample: 1 });
    const gram = new Float64Array(16);
    for (const row of dense) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) gram[i * 4 + j] += row[i] * row[j];
    const { values } = symmetricEigen(gram, 4);
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(svd.s[k] - Math.sqrt(values[k])) < 1e-3, `${svd.s[k]} vs ${Math.sqrt(values[k])}`);
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let dot = 0;
        for (let r = 0; r < 6; r++) dot += svd.u[r * 3 + a] * svd.u[r * 3 + b];
        assert.ok(Math.abs(dot - (a === b ? 1 : 0)) < 1e-3, `UᵀU[${a}][${b}] = ${dot}`);
      }
    }
    // denseNeighbours (the benchmark's) agrees with a direct computation.
    assert.deepEqual(denseNeighbours(Float32Array.from([1, 0, 0.9, 0.1, 0, 1]), 2, 0, 1), [1]);
  });
});
