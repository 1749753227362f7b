// A synthetic item catalog with planted topics for the Semantic-Similarity tests and benchmark:
// each topic has a set of concepts, and each concept several synonyms (distinct made-up words), so
// two items of one topic often describe it with different words. Texts mix topic words with
// generic words every topic uses (Zipf-distributed noise), inflect some words ("-s", "-ing",
// "-ed") and misspell a few. A good semantic method puts items of the same topic next to each
// other; plain TF-IDF cosine only sees the words two items share.
import { mulberry32 } from './synthetic.ts';

export interface PlantedItem {
  id: string;
  topic: number;
  name: string;
  text: string;
}

export interface PlantedCatalog {
  items: PlantedItem[];
  topics: number;
}

export interface CatalogOptions {
  topics?: number;
  itemsPerTopic?: number;
  conceptsPerTopic?: number;
  synonyms?: number;
  genericWords?: number;
  /** Share of description words that are topic words (the rest is generic, or the topic group's). */
  topicShare?: number;
  /** Topics form this many groups (topic t in group t % groups) that share a vocabulary of their own. */
  groups?: number;
  /** Share of description words from the topic's group vocabulary. */
  groupShare?: number;
  descriptionWords?: number;
  inflectRate?: number;
  typoRate?: number;
  seed?: number;
}

const CONSONANTS = 'bcdfgklmnprstvz';
const VOWELS = 'aeiou';

/** Distinct made-up words of 2-3 consonant-vowel syllables. */
function wordMaker(rand: () => number): () => string {
  const used = new Set<string>();
  return () => {
    for (;;) {
      const syllables = 2 + Math.floor(rand() * 2);
      let w = '';
      for (let s = 0; s < syllables; s++)
        w += CONSONANTS[Math.floor(rand() * CONSONANTS.length)] + VOWELS[Math.floor(rand() * VOWELS.length)];
      w += CONSONANTS[Math.floor(rand() * CONSONANTS.length)];
      if (!used.has(w)) return (used.add(w), w);
    }
  };
}

export function plantedCatalog(o: CatalogOptions = {}): PlantedCatalog {
  const rand = mulberry32(o.seed ?? 11);
  const word = wordMaker(rand);
  const topics = o.topics ?? 20;
  const conceptsPerTopic = o.conceptsPerTopic ?? 10;
  const synonyms = o.synonyms ?? 3;
  const generic = Array.from({ length: o.genericWords ?? 400 }, word);
  const concepts = Array.from({ length: topics }, () =>
    Array.from({ length: conceptsPerTopic }, () => Array.from({ length: synonyms }, word)),
  );
  const groups = o.groups ?? 0;
  const groupWords = Array.from({ length: groups }, () => Array.from({ length: conceptsPerTopic * synonyms }, word));
  const zipf = (n: number) => Math.min(n - 1, Math.floor(n * rand() ** 2.5));
  const dress = (w: string) => {
    let out = w;
    const r = rand();
    if (r < (o.inflectRate ?? 0.25)) out += ['s', 'ing', 'ed'][Math.floor(rand() * 3)];
    if (rand() < (o.typoRate ?? 0.03) && out.length > 4) {
      const i = 1 + Math.floor(rand() * (out.length - 2));
      out = out.slice(0, i) + out[i + 1] + out[i] + out.slice(i + 2);
    }
    return out;
  };
  const topicWord = (t: number) => {
    const c = concepts[t][Math.floor(rand() * conceptsPerTopic)];
    return dress(c[Math.floor(rand() * synonyms)]);
  };
  const items: PlantedItem[] = [];
  const perTopic = o.itemsPerTopic ?? 25;
  for (let t = 0; t < topics; t++) {
    for (let k = 0; k < perTopic; k++) {
      const name = [topicWord(t), topicWord(t)].join(' ');
      const words: string[] = [];
      for (let w = 0; w < (o.descriptionWords ?? 20); w++) {
        const r = rand();
        const topicShare = o.topicShare ?? 0.35;
        if (r < topicShare) words.push(topicWord(t));
        else if (groups > 0 && r < topicShare + (o.groupShare ?? 0.2)) {
          const g = groupWords[t % groups];
          words.push(dress(g[Math.floor(rand() * g.length)]));
        } else words.push(generic[zipf(generic.length)]);
      }
      items.push({ id: `t${t}-i${k}`, topic: t, name: name[0].toUpperCase() + name.slice(1), text: words.join(' ') + '.' });
    }
  }
  return { items, topics };
}

/** Mean share of same-topic items among each item's top `k` neighbours (the item itself excluded). */
export function topicPrecision(catalog: PlantedCatalog, neighbours: (index: number, k: number) => number[], k = 10): number {
  let sum = 0;
  catalog.items.forEach((item, i) => {
    const list = neighbours(i, k)
      .filter((j) => j !== i)
      .slice(0, k);
    sum += list.filter((j) => catalog.items[j].topic === item.topic).length / k;
  });
  return sum / catalog.items.length;
}

/** Top-k rows by dot product with row i of a row-major dense matrix (i itself excluded). */
export function denseNeighbours(vectors: Float32Array, dims: number, i: number, k: number): number[] {
  const n = vectors.length / dims;
  const scores: [number, number][] = [];
  for (let j = 0; j < n; j++) {
    if (j === i) continue;
    let s = 0;
    for (let d = 0; d < dims; d++) s += vectors[i * dims + d] * vectors[j * dims + d];
    scores.push([j, s]);
  }
  return scores
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k)
    .map(([j]) => j);
}
