// The orphan sweep of every storage area against a running service: dataset parts no dataset
// references, and model artifacts no resource references, are deleted once they are old enough;
// referenced blobs and young ones (a job may be about to commit them) stay. The generation a FULL
// import replaces stays readable for RETIRED_PART_GRACE_MS (a reader may be in the middle of it).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RETIRED_PART_GRACE_MS, type DatasetBulk } from '../../src/data/generations/part-store.ts';
import { blobCreatedAt, ORPHAN_MIN_AGE_MS } from '../../src/object-store/blob-area.ts';
import { LocalDirStore } from '../../src/object-store/local-dir-store.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv } from '../testkit/rows.ts';

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
    const { datasetArn } = await activeDataset(client, minimalSchemas.items, 'Items');
    await bucket.put('items.csv', csv('ITEM_ID,GENRES', ['i1,Drama', 'i2,Comedy']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/items.csv`)).status, 'ACTIVE');
    const [committed] = await svc.parts.listKeys();
    assert.ok(committed && blobCreatedAt(committed)! <= Date.now());

    // Two parts no dataset points to, as a crashed job leaves them: one old, one just written.
    const file = join(scratch, 'junk.parquet');
    writeFileSync(file, 'not really parquet');
    const now = Date.now();
    const old = `datasets/0000/${(now - 2 * ORPHAN_MIN_AGE_MS).toString(36)}-00000000-0000-4000-8000-000000000000.parquet`;
    const young = svc.parts.newKey(datasetArn);
    await svc.parts.put(file, old);
    await svc.parts.put(file, young);

    // A model artifact no solution version references (a training job that died before its commit).
    const models = new LocalDirStore(join(svc.dataDir, 'storage'));
    const oldModel = `models/0000/${(now - 2 * ORPHAN_MIN_AGE_MS).toString(36)}-00000000-0000-4000-8000-000000000001.bin`;
    const youngModel = `models/0000/${now.toString(36)}-00000000-0000-4000-8000-000000000002.bin`;
    await models.putFile('parts', oldModel, file);
    await models.putFile('parts', youngModel, file);

    const r = await svc.sweepOrphans(now);
    assert.deepEqual(r.datasetParts.deleted, [old]);
    assert.deepEqual(r.modelArtifacts.deleted, [oldModel]);
    assert.deepEqual(
      (await models.list('parts', 'models/', { recursive: true })).map((o) => o.key),
      [youngModel],
    );
    assert.deepEqual((await svc.parts.listKeys()).sort(), [committed, young].sort());
    // The dataset reads as before.
    assert.deepEqual(await exportLines(client, bucket, datasetArn), ['ITEM_ID,GENRES', 'i1,Drama', 'i2,Comedy']);
  });

  it('keeps the generation a FULL import replaced readable for its grace, then sweeps it', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const { datasetArn } = await activeDataset(client, minimalSchemas.items, 'Items');
    const before = new Set(await svc.parts.listKeys());
    await bucket.put('first.csv', csv('ITEM_ID,GENRES', ['i1,Drama']));
    await bucket.put('second.csv', csv('ITEM_ID,GENRES', ['i2,Comedy']));
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/first.csv`)).status, 'ACTIVE');
    const [first] = (await svc.parts.listKeys()).filter((k) => !before.has(k));
    const replacedAt = Date.now();
    assert.equal((await importAndWait(client, datasetArn, `s3://${bucket.name}/second.csv`)).status, 'ACTIVE');
    const [second] = (await svc.parts.listKeys()).filter((k) => !before.has(k) && k !== first);
    assert.ok(first && second);
    // Still on disk after the switch, and named in the dataset's retired list until its grace ends.
    assert.ok((await svc.parts.listKeys()).includes(first));
    const bulk = ((await svc.catalog.get(datasetArn))!.body as { bulk: DatasetBulk }).bulk;
    assert.deepEqual(
      bulk.parts.map((p) => p.key),
      [second],
    );
    assert.deepEqual(
      bulk.retired?.map((r) => r.key),
      [first],
    );
    assert.ok(bulk.retired![0].at >= replacedAt && bulk.retired![0].at <= Date.now());
    // Past its grace it is an orphan like any other; the current generation stays.
    const r = await svc.sweepOrphans(Date.now() + RETIRED_PART_GRACE_MS + ORPHAN_MIN_AGE_MS);
    assert.ok(r.datasetParts.deleted.includes(first), r.datasetParts.deleted.join(', '));
    assert.ok(!r.datasetParts.deleted.includes(second));
    assert.deepEqual(await exportLines(client, bucket, datasetArn), ['ITEM_ID,GENRES', 'i2,Comedy']);
  });
});
