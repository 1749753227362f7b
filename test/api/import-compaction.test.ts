// Many INCREMENTAL imports: past COMPACT_AFTER_PARTS parts the import rewrites the generation as
// one part, and the data read back is exactly what the imports say.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { COMPACT_AFTER_PARTS } from '../../src/data/engine/index.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv } from '../testkit/rows.ts';

describe('compaction of INCREMENTAL imports', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.close());

  it('keeps the number of parts bounded and the data exact', async () => {
    const client = svc.client();
    const bucket = localBucket(svc.dataDir);
    const { datasetArn } = await activeDataset(client, minimalSchemas.items, 'Items');
    const expected = new Map<string, string>();
    const partCounts: number[] = [];
    for (let i = 0; i <= COMPACT_AFTER_PARTS + 1; i++) {
      // Each import adds item n{i} and rewrites item shared, so the newest value must win.
      const rows = [`n${i},G${i}`, `shared,V${i}`];
      rows.forEach((r) => expected.set(r.split(',')[0], r));
      await bucket.put(`inc/${i}.csv`, csv('ITEM_ID,GENRES', rows));
      const job = await importAndWait(client, datasetArn, `s3://${bucket.name}/inc/${i}.csv`, i === 0 ? 'FULL' : 'INCREMENTAL');
      assert.equal(job.status, 'ACTIVE', job.failureReason);
      const dataset = await svc.catalog.get(datasetArn);
      partCounts.push((dataset!.body as { bulk: { parts: unknown[] } }).bulk.parts.length);
    }
    assert.ok(Math.max(...partCounts) <= COMPACT_AFTER_PARTS, `parts per import: ${partCounts.join(',')}`);
    assert.equal(partCounts[partCounts.length - 2], 1, `the import past the threshold compacts: ${partCounts.join(',')}`);
    assert.deepEqual(await exportLines(client, bucket, datasetArn), ['ITEM_ID,GENRES', ...[...expected.values()].sort()]);
  });
});
