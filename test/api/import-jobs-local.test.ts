// The import/export suite against the default local object store (<data dir>/buckets).
import { runImportSuite } from './import-jobs-suite.ts';
import { startTestService } from '../testkit/service-harness.ts';
import { localBucket } from '../testkit/import-fixtures.ts';

runImportSuite('local object store', async () => {
  const svc = await startTestService();
  return { svc, bucket: localBucket(svc.dataDir), close: () => svc.close() };
});
