// The import/export suite on the scale-out backends: the catalog (and job queue) on PostgreSQL,
// all data on S3 (moto_server).
import { runImportSuite } from './import-jobs-suite.ts';
import { startTestService } from '../testkit/service-harness.ts';
import { s3Bucket } from '../testkit/import-fixtures.ts';
import { startMotoServer } from '../testkit/moto-server.ts';
import { createDatabase, databaseUrl, dropDatabase } from '../testkit/postgres-db.ts';

runImportSuite('PostgreSQL catalog, S3 via moto_server', async () => {
  const moto = await startMotoServer();
  const bucket = await s3Bucket(moto.s3Client());
  return {
    async start(options) {
      // A database of its own: services on one database share its job queue, so one's worker
      // would run the jobs another (with a manual runner) must keep pending.
      const db = await createDatabase();
      const svc = await startTestService(
        { ...moto.env, OPENPERSONALIZE_OBJECT_STORE: 's3', OPENPERSONALIZE_DATABASE_URL: databaseUrl(db) },
        options,
      );
      return {
        svc,
        bucket,
        async close() {
          await svc.close();
          await dropDatabase(db);
        },
      };
    },
    close: () => moto.stop(),
  };
});
