// The import/export suite on the scale-out backends: the catalog (and job queue) on PostgreSQL,
// all data on S3 (moto_server).
import { S3Client } from '@aws-sdk/client-s3';
import { runImportSuite } from './import-jobs-suite.ts';
import { startTestService } from '../testkit/service-harness.ts';
import { s3Bucket } from '../testkit/import-fixtures.ts';
import { startMotoServer } from '../testkit/moto-server.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../testkit/postgres-db.ts';

runImportSuite('PostgreSQL catalog, S3 via moto_server', async () => {
  const moto = await startMotoServer();
  const db = await createDatabase();
  const svc = await startTestService({ ...moto.env, OPENPERSONALIZE_OBJECT_STORE: 's3', OPENPERSONALIZE_DATABASE_URL: databaseUrl(db) });
  const s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  return {
    svc,
    bucket: await s3Bucket(s3),
    async close() {
      await svc.close();
      await moto.stop();
      await dropDatabase(db);
    },
  };
});
