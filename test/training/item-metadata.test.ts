// Items metadata for the trainers: column kinds from the schema or inferred, categorical parts,
// tokens, TF-IDF cosines and the attribute index.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attributeIndex,
  attributeKey,
  columnValues,
  featureMatrix,
  metadataColumns,
  tokenize,
} from '../../src/training/models/item-metadata.ts';

type Row = Record<string, string | number | boolean | null>;
const items = (rows: Record<string, Row>) => new Map(Object.entries(rows));

describe('item metadata', () => {
  it('takes column kinds from the schema, else infers them; reserved columns are left out', () => {
    const rows = items({
      a: { GENRE: 'x|y', DESCRIPTION: 'a long text with many words about the thing', PRICE: 3, CREATION_TIMESTAMP: 1 },
      b: { GENRE: 'y', DESCRIPTION: 'another long text with many words about things', PRICE: null, CREATION_TIMESTAMP: 2 },
    });
    assert.deepEqual(metadataColumns({ items: rows }), [
      { name: 'GENRE', kind: 'categorical' },
      { name: 'DESCRIPTION', kind: 'textual' },
      { name: 'PRICE', kind: 'plain' },
    ]);
    const itemFields = [
      { name: 'GENRE', type: 'string', categorical: false, textual: true },
      { name: 'CREATION_TIMESTAMP', type: 'long', categorical: false, textual: false },
    ];
    assert.deepEqual(metadataColumns({ items: rows, itemFields }), [{ name: 'GENRE', kind: 'textual' }]);
    assert.deepEqual(metadataColumns({}), []);
  });

  it('splits categorical values on | and tokenizes text (CJK as bigrams, no stop words)', () => {
    assert.deepEqual(columnValues(' Drama | Comedy||Drama', 'categorical'), ['Drama', 'Comedy']);
    assert.deepEqual(columnValues('a|b', 'plain'), ['a|b']);
    assert.deepEqual(columnValues(4.5, 'categorical'), ['4.5']);
    assert.deepEqual(columnValues(null, 'categorical'), []);
    assert.deepEqual(tokenize('The Quick-brown fox, and 2 DOGS!'), ['quick', 'brown', 'fox', 'dogs']);
    assert.deepEqual(tokenize('東京タワー'), ['東京', '京タ', 'タワ', 'ワー']);
  });

  it('makes TF-IDF rows whose dot products rank shared rare values over common ones', () => {
    const rows: Row[] = [
      { G: 'rare|common', T: 'zebra stripes savanna' },
      { G: 'rare|common', T: 'zebra stripes grass' },
      { G: 'common', T: 'grass green field' },
      { G: 'common', T: 'field green' },
      { G: 'other', T: 'unrelated words only' },
    ];
    const cols = [
      { name: 'G', kind: 'categorical' as const },
      { name: 'T', kind: 'textual' as const },
    ];
    const m = featureMatrix(rows, cols, (r) => r);
    const dot = (a: number, b: number) => {
      const va = new Map<number, number>();
      for (let e = m.offsets[a]; e < m.offsets[a + 1]; e++) va.set(m.feature[e], m.value[e]);
      let s = 0;
      for (let e = m.offsets[b]; e < m.offsets[b + 1]; e++) s += (va.get(m.feature[e]) ?? 0) * m.value[e];
      return s;
    };
    assert.ok(dot(0, 1) > dot(0, 2) && dot(0, 2) > 0);
    assert.ok(dot(2, 3) > dot(2, 1));
    assert.equal(dot(0, 4), 0);
    assert.ok(dot(0, 0) <= 1 + 1e-6);
    // Postings of a feature come in rank order.
    const f = m.feature[m.offsets[2]];
    const posting = Array.from(m.postItem.subarray(m.postOffsets[f], m.postOffsets[f + 1]));
    assert.deepEqual(
      posting,
      [...posting].sort((x, y) => x - y),
    );
  });

  it('indexes attribute values of non-textual columns (names in any case)', () => {
    const data = {
      items: items({ a: { GENRE: 'x|y', PRICE: 3, DESC: 'some text' }, b: { GENRE: 'y', PRICE: 3, DESC: 'x' } }),
      itemFields: [
        { name: 'GENRE', type: 'string', categorical: true, textual: false },
        { name: 'PRICE', type: 'double', categorical: false, textual: false },
        { name: 'DESC', type: 'string', categorical: false, textual: true },
      ],
    };
    const index = attributeIndex(data, ['b', 'a', 'c']);
    assert.deepEqual(Object.fromEntries(index), {
      [attributeKey('genre', 'x')]: [1],
      [attributeKey('GENRE', 'y')]: [0, 1],
      [attributeKey('PRICE', '3')]: [0, 1],
    });
    assert.deepEqual([...attributeIndex(data, ['a'], true).keys()], [attributeKey('GENRE', 'x'), attributeKey('GENRE', 'y')]);
  });
});
