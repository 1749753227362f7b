// The one generation switch of every bulk-data commit: the pure decision for each change (FULL,
// INCREMENTAL with and without a compaction, a compaction made stale by a deletion's switch, a
// deletion's rewrite and its staleness), its application in a real catalog transaction, and the
// retirement of replaced parts: readable for a grace period, then the orphan sweep's.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Catalog } from '../../../src/catalog/catalog.ts';
import { openCatalog } from '../../../src/catalog/open-catalog.ts';
import { nextGeneration, retire, switchGeneration } from '../../../src/data/generations/generation-switch.ts';
import { RETIRED_PART_GRACE_MS, type PartRef } from '../../../src/data/generations/part-store.ts';
import { referencedPartKeys } from '../../../src/data/generations/referenced-parts.ts';

const part = (key: string): PartRef => ({ key, rows: 1, jobArn: `arn:job/${key}` });
const [a, b, c, d, m] = ['a', 'b', 'c', 'd', 'm'].map(part);

describe('nextGeneration', () => {
  it('FULL replaces the generation; the old parts are garbage', () => {
    assert.deepEqual(nextGeneration([a, b], { kind: 'replace', part: c }), { parts: [c], garbage: [a, b] });
    assert.deepEqual(nextGeneration([], { kind: 'replace', part: c }), { parts: [c], garbage: [] });
  });
  it('INCREMENTAL appends its part', () => {
    assert.deepEqual(nextGeneration([a, b], { kind: 'append', part: c }), { parts: [a, b, c], garbage: [] });
  });
  it('a compaction of the generation the job read replaces it; the plain part and the old ones are garbage', () => {
    assert.deepEqual(nextGeneration([a, b], { kind: 'append', part: c, compacted: { part: m, base: [a, b] } }), {
      parts: [m],
      garbage: [a, b, c],
    });
  });
  it('a compaction made stale by another switch (a deletion rewrote b as d) is dropped and the plain part appended', () => {
    assert.deepEqual(nextGeneration([a, d], { kind: 'append', part: c, compacted: { part: m, base: [a, b] } }), {
      parts: [a, d, c],
      garbage: [m],
    });
  });
  it('a rewrite applies only to the generation it read; replaced parts are garbage, kept ones are not', () => {
    assert.deepEqual(nextGeneration([a, b], { kind: 'rewrite', baseKeys: ['a', 'b'], parts: [a, d] }), { parts: [a, d], garbage: [b] });
    assert.equal(nextGeneration([a, b, c], { kind: 'rewrite', baseKeys: ['a', 'b'], parts: [a, d] }), 'stale');
  });
});

describe('switchGeneration in a catalog transaction', () => {
  let catalog: Catalog;
  after(() => catalog?.close());
  const arn = 'arn:aws:personalize:us-east-1:000000000000:dataset/g/ITEMS';

  it('switches the stored generation, reports garbage, refuses a stale rewrite and a deleted dataset', async () => {
    catalog = await openCatalog('sqlite::memory:', '/unused');
    await catalog.insert({
      arn,
      account: '000000000000',
      region: 'us-east-1',
      kind: 'dataset',
      name: 'ITEMS',
      parentArn: null,
      status: 'ACTIVE',
      createdAt: 1,
      updatedAt: 1,
      body: { schemaArn: 's', bulk: { parts: [a] } },
    });
    const stored = async () => ((await catalog.get(arn))!.body as { bulk: { parts: PartRef[] } }).bulk.parts.map((p) => p.key);

    const r = await catalog.transaction((tx) => switchGeneration(tx, arn, { kind: 'append', part: b }, 100));
    assert.deepEqual(r, { parts: [a, b], garbage: [] });
    assert.deepEqual(await stored(), ['a', 'b']);
    assert.equal(
      await catalog.transaction((tx) => switchGeneration(tx, arn, { kind: 'rewrite', baseKeys: ['a'], parts: [d] }, 100)),
      'stale',
    );
    assert.deepEqual(await stored(), ['a', 'b'], 'a stale rewrite changes nothing');
    const version = (await catalog.get(arn))!.version;
    await catalog.transaction((tx) => switchGeneration(tx, arn, { kind: 'rewrite', baseKeys: ['a', 'b'], parts: [a, b] }, 100));
    assert.equal((await catalog.get(arn))!.version, version, 'a rewrite that changes no part writes nothing');
    assert.deepEqual(await catalog.transaction((tx) => switchGeneration(tx, arn, { kind: 'replace', part: c }, 100)), {
      parts: [c],
      garbage: [a, b],
    });
    assert.deepEqual(await stored(), ['c']);
    const bulk = async () => ((await catalog.get(arn))!.body as { bulk: { retired?: unknown } }).bulk;
    assert.deepEqual((await bulk()).retired, [
      { key: 'a', at: 100 },
      { key: 'b', at: 100 },
    ]);
    // Still referenced while a reader may be reading them, the sweep's after the grace.
    assert.deepEqual([...(await referencedPartKeys(catalog, 100 + RETIRED_PART_GRACE_MS - 1))].sort(), ['a', 'b', 'c']);
    assert.deepEqual([...(await referencedPartKeys(catalog, 100 + RETIRED_PART_GRACE_MS))], ['c']);
    // A later switch drops the retired parts past their grace and retires the ones it replaces.
    await catalog.transaction((tx) => switchGeneration(tx, arn, { kind: 'replace', part: d }, 100 + RETIRED_PART_GRACE_MS));
    assert.deepEqual((await bulk()).retired, [{ key: 'c', at: 100 + RETIRED_PART_GRACE_MS }]);
    // The rest of the document is kept.
    assert.equal(((await catalog.get(arn))!.body as { schemaArn: string }).schemaArn, 's');
    assert.equal(await catalog.transaction((tx) => switchGeneration(tx, 'arn:missing', { kind: 'append', part: d }, 100)), 'no-dataset');
  });
});

describe('retire', () => {
  it('keeps earlier retired parts within their grace and adds the new garbage at `now`', () => {
    assert.deepEqual(retire(undefined, [], 5), undefined);
    assert.deepEqual(retire([{ key: 'x', at: 0 }], [a], 10), [
      { key: 'x', at: 0 },
      { key: 'a', at: 10 },
    ]);
    assert.deepEqual(retire([{ key: 'x', at: 0 }], [], RETIRED_PART_GRACE_MS), undefined);
  });
});
