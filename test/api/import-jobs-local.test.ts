// The import/export suite against the default local object store (<data dir>/buckets).
import { runImportSuite } from './import-jobs-suite.ts';
import { startTestService } from '../testkit/service-harness.ts';
import { localBucket } from '../testkit/import-fixtures.ts';

runImportSuite('local object store', async () => ({
  async start(options) {
    const svc = await startTestService({}, options);
    // The local store's buckets are folders of the service's data dir: each service has its own.
    return { svc, bucket: localBucket(svc.dataDir), close: () => svc.close() };
  },
  async close() {},
}));
