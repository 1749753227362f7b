// GetRecommendations latency against a real server in this process (SQLite catalog, local store):
// `node --import tsx bench/runtime-bench.ts [users=20000] [items=10000] [requests=500] [recipe=aws-user-personalization]`.
// Imports Zipf-distributed interactions, trains the recipe, deploys a campaign, then sends
// `requests` sequential GetRecommendations (numResults 25, one keep-alive connection, unsigned raw
// HTTP in open mode, a different known user each time) and as many no-op requests (an unknown
// campaign: 404) for comparison. Prints client-side p50/p90/p99 of both, and what the first
// request loaded (the model, by artifact bytes, and the users' bulk interaction index) and how long it took.
import { Agent, request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateCampaignCommand,
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateDatasetImportJobCommand,
  CreateSchemaCommand,
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeCampaignCommand,
  DescribeDatasetImportJobCommand,
  DescribeSolutionVersionCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { loadConfig } from '../src/config/config.ts';
import { startService } from '../src/composition/build-service.ts';

const [users = 20_000, items = 10_000, requests = 500] = process.argv.slice(2, 5).map(Number);
const recipe = process.argv[5] ?? 'aws-user-personalization';
const dataDir = mkdtempSync(join(tmpdir(), 'runtime-bench-'));
const config = loadConfig({ PORT: '0', OPENPERSONALIZE_DATA_DIR: dataDir, OPENPERSONALIZE_PROVISIONING_MS: '0' });
const serving: Record<string, unknown>[] = [];
const svc = await startService(
  config,
  (f) => void (f.msg === 'model loaded' || f.msg === 'serving index built' ? serving.push(f) : undefined),
  { ...process.env, OPENPERSONALIZE_DATA_DIR: dataDir },
);
const client = new PersonalizeClient({
  endpoint: svc.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Zipf items, each user a random stretch of 5-25 interactions, mostly within a taste cluster.
let seed = 12345;
const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const lines = ['USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE'];
for (let u = 0; u < users; u++) {
  const cluster = u % 20;
  for (let k = 5 + Math.floor(rand() * 20); k > 0; k--) {
    const rank = Math.floor(items * rand() ** 3);
    const item = rand() < 0.7 ? (rank - (rank % 20) + cluster) % items : rank;
    lines.push(`u${u},i${item},${1_700_000_000 + u * 30 + k},click`);
  }
}
mkdirSync(join(dataDir, 'buckets', 'bench'), { recursive: true });
writeFileSync(join(dataDir, 'buckets', 'bench', 'interactions.csv'), lines.join('\n') + '\n');
const schema = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE'].map((name) => ({ name, type: name === 'TIMESTAMP' ? 'long' : 'string' })),
});
const { schemaArn } = await client.send(new CreateSchemaCommand({ name: 'bench', schema }));
const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'bench' }));
await new Promise((r) => setTimeout(r, 50));
const { datasetArn } = await client.send(
  new CreateDatasetCommand({ name: 'bench', schemaArn, datasetGroupArn, datasetType: 'Interactions' }),
);
await new Promise((r) => setTimeout(r, 50));
const { datasetImportJobArn } = await client.send(
  new CreateDatasetImportJobCommand({ jobName: 'bench', datasetArn, dataSource: { dataLocation: 's3://bench/interactions.csv' } }),
);
await until('import', async () => {
  const s = (await client.send(new DescribeDatasetImportJobCommand({ datasetImportJobArn }))).datasetImportJob?.status;
  return s === 'ACTIVE' ? s : undefined;
});
const { solutionArn } = await client.send(
  new CreateSolutionCommand({
    name: 'bench',
    datasetGroupArn,
    recipeArn: `arn:aws:personalize:::recipe/${recipe}`,
    performAutoTraining: false,
  }),
);
const trainStart = performance.now();
const { solutionVersionArn } = await client.send(new CreateSolutionVersionCommand({ solutionArn }));
await until('training', async () => {
  const v = (await client.send(new DescribeSolutionVersionCommand({ solutionVersionArn }))).solutionVersion;
  if (v?.status === 'CREATE FAILED') throw new Error(v.failureReason);
  return v?.status === 'ACTIVE' ? v : undefined;
});
const trainSeconds = (performance.now() - trainStart) / 1000;
const { campaignArn } = await client.send(new CreateCampaignCommand({ name: 'bench', solutionVersionArn }));
await until('campaign', async () =>
  (await client.send(new DescribeCampaignCommand({ campaignArn }))).campaign?.status === 'ACTIVE' ? 1 : undefined,
);

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const url = new URL(svc.endpoint);
function post(body: string): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/recommendations',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const first = await post(JSON.stringify({ campaignArn, userId: 'u1' }));
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
async function run(body: (i: number) => string, expect: number) {
  const ms: number[] = [];
  for (let i = 0; i < requests; i++) {
    const r = await post(body(i));
    if (r.status !== expect) throw new Error(`status ${r.status}, expected ${expect}`);
    ms.push(r.ms);
  }
  return { p50: percentile(ms, 0.5), p90: percentile(ms, 0.9), p99: percentile(ms, 0.99) };
}
const recs = await run((i) => JSON.stringify({ campaignArn, userId: `u${(i * 37) % users}`, numResults: 25 }), 200);
const noop = await run(() => JSON.stringify({ campaignArn: `${campaignArn}-none`, userId: 'u1' }), 404);
const fmt = (x: { p50: number; p90: number; p99: number }) =>
  `p50 ${x.p50.toFixed(2)} ms, p90 ${x.p90.toFixed(2)} ms, p99 ${x.p99.toFixed(2)} ms`;
console.log(
  JSON.stringify(
    {
      recipe,
      interactions: lines.length - 1,
      users,
      items,
      trainSeconds: Number(trainSeconds.toFixed(1)),
      firstRequestMs: Number(first.ms.toFixed(1)),
      // What the first request loaded: the model (its artifact's bytes) and the users' bulk index.
      loaded: serving.map(({ msg, bytes, users, interactions, durationMs }) => ({ msg, bytes, users, interactions, durationMs })),
    },
    null,
    1,
  ),
);
console.log(`GetRecommendations x${requests} sequential: ${fmt(recs)}`);
console.log(`no-op 404 x${requests} sequential:          ${fmt(noop)}`);
agent.destroy();
await svc.close();
rmSync(dataDir, { recursive: true, force: true });
