// The import/export suite against S3: a real S3 peer (moto_server) on a loopback port.
import { S3Client } from '@aws-sdk/client-s3';
import { runImportSuite } from './import-jobs-suite.ts';
import { startTestService } from '../testkit/service-harness.ts';
import { s3Bucket } from '../testkit/import-fixtures.ts';
import { startMotoServer } from '../testkit/moto-server.ts';

runImportSuite('S3 via moto_server', async () => {
  const moto = await startMotoServer();
  const svc = await startTestService({ ...moto.env, OPENPERSONALIZE_OBJECT_STORE: 's3' });
  const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return {
    svc,
    bucket: await s3Bucket(s3),
    async close() {
      await svc.close();
      await moto.stop();
    },
  };
});
