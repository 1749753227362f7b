// The import/export suite against S3: a real S3 peer (moto_server) on a loopback port.
import { runImportSuite } from './import-jobs-suite.ts';
import { startTestService } from '../testkit/service-harness.ts';
import { s3Bucket } from '../testkit/import-fixtures.ts';
import { startMotoServer } from '../testkit/moto-server.ts';

runImportSuite('S3 via moto_server', async () => {
  const moto = await startMotoServer();
  const bucket = await s3Bucket(moto.s3Client());
  return {
    async start(options) {
      const svc = await startTestService({ ...moto.env, OPENPERSONALIZE_OBJECT_STORE: 's3' }, options);
      return { svc, bucket, close: () => svc.close() };
    },
    close: () => moto.stop(),
  };
});
