// The orphan-part sweep against a running service: parts no dataset references are deleted once
// they are old enough; referenced parts and young ones (a job may be about to commit them) stay.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { collectOrphanParts, ORPHAN_MIN_AGE_MS } from '../../../src/data/generations/part-garbage-collector.ts';
import { partCreatedAt } from '../../../src/data/generations/part-store.ts';
import { schemas, startTestService, type TestService } from '../../testkit/service-harness.ts';
import { activeDataset, csv, exportLines, importAndWait, localBucket } from '../../testkit/import-fixtures.ts';

describe('orphan part sweep', () => {
  let svc: TestService;
  const scratch = mkdtempSync(join(tmpdir(), 'orphans-'));
  before(async () => {
    svc = await startTestService();
  });
  after(async () => {
    await svc.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('deletes old unreferenced parts only', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const { datasetArn } = await activeDataset(client, schemas.items, 'Items');
    await bucket.put('items.csv', csv('ITEM_ID,GENRES', ['i1,Drama', 'i2,Comedy']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/items.csv`)).status, 'ACTIVE');
    const [committed] = await svc.parts.listKeys();
    assert.ok(committed && partCreatedAt(committed)! <= Date.now());

    // Two parts no dataset points to, as a crashed job leaves them: one old, one just written.
    const file = join(scratch, 'junk.parquet');
    writeFileSync(file, 'not really parquet');
    const now = Date.now();
    const old = `datasets/0000/${(now - 2 * ORPHAN_MIN_AGE_MS).toString(36)}-00000000-0000-4000-8000-000000000000.parquet`;
    const young = svc.parts.newKey(datasetArn);
    await svc.parts.put(file, old);
    await svc.parts.put(file, young);

    const r = await collectOrphanParts({ catalog: svc.catalog, parts: svc.parts, now });
    assert.deepEqual(r.deleted, [old]);
    assert.deepEqual((await svc.parts.listKeys()).sort(), [committed, young].sort());
    // The dataset reads as before.
    assert.deepEqual(await exportLines(client, bucket, datasetArn), ['ITEM_ID,GENRES', 'i1,Drama', 'i2,Comedy']);
  });
});
