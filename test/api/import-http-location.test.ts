// http(s):// data locations: read only from hosts that OPENPERSONALIZE_HTTP_ALLOW_HOSTS names.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetImportJobCommand } from '@aws-sdk/client-personalize';
import { errorOf, startTestService, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { exportLines, importAndWait, localBucket } from '../testkit/import-fixtures.ts';
import { activeDataset } from '../testkit/resources.ts';
import { csv, INTERACTIONS_HEADER_4, interactionRows4 } from '../testkit/rows.ts';

describe('http(s) data locations', () => {
  let web: Server;
  let port: number;
  let allowed: TestService;
  let closed: TestService;
  const rows = interactionRows4(1100);
  const body = csv(INTERACTIONS_HEADER_4, rows);
  let requests = 0;

  before(async () => {
    web = createServer((req, res) => {
      requests++;
      if (req.url !== '/data/interactions.csv') return void res.writeHead(404).end();
      const range = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      const bytes = Buffer.from(body);
      const slice = range ? bytes.subarray(Number(range[1]), Number(range[2]) + 1) : bytes;
      res.writeHead(range ? 206 : 200, { 'content-type': 'text/csv', 'content-length': slice.length });
      res.end(req.method === 'HEAD' ? undefined : slice);
    });
    web.listen(0, '127.0.0.1');
    await once(web, 'listening');
    port = (web.address() as { port: number }).port;
    allowed = await startTestService({ OPENPERSONALIZE_HTTP_ALLOW_HOSTS: `127.0.0.1:${port}` });
    closed = await startTestService();
  });
  after(async () => {
    await allowed.close();
    await closed.close();
    web.close();
  });

  it('imports from an allowed host', async () => {
    const client = allowed.client();
    const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const job = await importAndWait(client, datasetArn, `http://127.0.0.1:${port}/data/interactions.csv`);
    assert.equal(job.status, 'ACTIVE', job.failureReason);
    assert.deepEqual(await exportLines(client, localBucket(allowed.dataDir), datasetArn), [
      INTERACTIONS_HEADER_4,
      ...[...new Set(rows)].sort(),
    ]);
  });

  it('refuses a host that is not allowed without sending it a request', async () => {
    const client = closed.client();
    const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const before = requests;
    const e = await errorOf(() =>
      client.send(
        new CreateDatasetImportJobCommand({
          jobName: 'http-refused',
          datasetArn,
          dataSource: { dataLocation: `http://127.0.0.1:${port}/data/interactions.csv` },
        }),
      ),
    );
    assert.equal(e.name, 'InvalidInputException');
    assert.match(e.message, /OPENPERSONALIZE_HTTP_ALLOW_HOSTS/);
    assert.equal(requests, before, 'no request reached the host');
  });

  it('reports a missing URL on an allowed host', async () => {
    const client = allowed.client();
    const { datasetArn } = await activeDataset(client, minimalSchemas.interactions, 'Interactions');
    const e = await errorOf(() =>
      client.send(
        new CreateDatasetImportJobCommand({
          jobName: 'http-missing',
          datasetArn,
          dataSource: { dataLocation: `http://127.0.0.1:${port}/nope.csv` },
        }),
      ),
    );
    assert.equal(e.name, 'InvalidInputException');
    assert.match(e.message, /404/);
  });
});
