// PutEvents throughput against a real server in this process (SQLite catalog, synchronous=FULL):
// `node --import tsx bench/put-events-bench.ts [seconds=10] [concurrency=64] [eventsPerCall=1]`.
// Calls are unsigned raw HTTP over keep-alive connections (open mode), so the client costs little
// of the CPU it shares with the server. Prints calls/s, events/s and latency percentiles, then
// checks that every acknowledged event was stored.
import { request, Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDatasetCommand,
  CreateDatasetGroupCommand,
  CreateEventTrackerCommand,
  CreateSchemaCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { loadConfig } from '../src/config/config.ts';
import { startService } from '../src/composition/build-service.ts';
import { SqlRecordStore } from '../src/data/records/sql-record-store.ts';
import { sqlAccessOf } from '../src/catalog/sql/sql-catalog.ts';

const [seconds = 10, concurrency = 64, perCall = 1] = process.argv.slice(2).map(Number);
const dataDir = mkdtempSync(join(tmpdir(), 'put-events-bench-'));
const config = loadConfig({ PORT: '0', OPENPERSONALIZE_DATA_DIR: dataDir, OPENPERSONALIZE_PROVISIONING_MS: '0' });
const svc = await startService(config, () => {}, { ...process.env, OPENPERSONALIZE_DATA_DIR: dataDir });
const client = new PersonalizeClient({
  endpoint: svc.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'k', secretAccessKey: 's' },
});
const schema = JSON.stringify({
  type: 'record',
  name: 'Interactions',
  namespace: 'com.amazonaws.personalize.schema',
  version: '1.0',
  fields: [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ],
});
const { schemaArn } = await client.send(new CreateSchemaCommand({ name: 'bench', schema }));
const { datasetGroupArn } = await client.send(new CreateDatasetGroupCommand({ name: 'bench' }));
const { datasetArn } = await client.send(
  new CreateDatasetCommand({ name: 'bench', datasetGroupArn, schemaArn, datasetType: 'Interactions' }),
);
const { trackingId } = await client.send(new CreateEventTrackerCommand({ name: 'bench', datasetGroupArn }));
await new Promise((r) => setTimeout(r, 50));

const url = new URL(svc.endpoint);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
let seq = 0;
function putEvents(): Promise<number> {
  const n = seq++;
  const body = JSON.stringify({
    trackingId,
    userId: `u${n % 1000}`,
    sessionId: `s${n % 1000}`,
    eventList: Array.from({ length: perCall }, (_, k) => ({ eventType: 'click', itemId: `i${n}-${k}`, sentAt: 1_700_000_000 + n })),
  });
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: '/events',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const latencies: number[] = [];
let ok = 0;
let failed = 0;
const end = performance.now() + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const status = await putEvents();
      latencies.push(performance.now() - t);
      if (status === 200) ok++;
      else failed++;
    }
  }),
);
const elapsed = seconds;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(1);
const stored = await new SqlRecordStore(sqlAccessOf(svc.catalog)).count(datasetArn!);
console.log(
  JSON.stringify({
    seconds: elapsed,
    concurrency,
    eventsPerCall: perCall,
    calls: ok,
    failed,
    callsPerSecond: Math.round(ok / elapsed),
    eventsPerSecond: Math.round((ok * perCall) / elapsed),
    latencyMs: { p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1)!.toFixed(1) },
    storedEvents: stored,
    allStored: stored === ok * perCall,
  }),
);
agent.destroy();
await svc.close();
rmSync(dataDir, { recursive: true, force: true });
