// npm run bench: serving speed (issue 11, "Speed"), measured side by side in one run against one
// service process:
//   GetRecommendations, numResults 25, from an aws-user-personalization campaign on a catalog of
//   50,000 items, SigV4-signed, through HTTP from CONCURRENCY keep-alive connections of another
//   process (this one; bench/serving/load.ts), against a no-op request through the same pipeline
//   (an unknown campaign: signature checked, body validated, catalog read, 404), and the same
//   request with a filter on Interactions (EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN
//   ("purchase")). Setup (import, training, campaign, filter) runs in one service process, the
//   measurements in a fresh one: a cold node, whose first request loads the model and builds the
//   users' interaction index.
// Latency is the server's own time per request (bench/serving/bench-server.ts: from the parsed
// request to the answer handed to the socket); the client's round trip is shown beside it, and
// the service's CPU time per request (all threads), which the other processes on the machine
// change least. The three kinds run in ROUNDS alternating rounds of SECONDS each, so that other
// load on the machine falls on all of them alike. Memory per loaded model: one more copy of the
// deployed model loaded in the service process (heap and array buffers), beside what the model
// cache counts (artifact bytes) and what the first requests added to the process.
//   node --import tsx bench/serving-bench.ts [users=25000] [items=50000] [perUser=14]
//   BENCH_CONCURRENCY=16 BENCH_ROUNDS=3 BENCH_SECONDS=4; BENCH_CPU_PROF=<dir> writes the
//   measured service's CPU profile (node --cpu-prof) there; BENCH_DATA_DIR=<dir> keeps the data
//   dir (a second run with it measures again without importing and training).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { freePort } from '../test/testkit/child-service.ts';
import type { ServerCommand, ServerMessage } from './serving/bench-server.ts';
import { closedLoop, quantile, signAll, type RunResult, type Signed } from './serving/load.ts';
import { deploy, PURCHASE_FILTER, writeInteractions, type ServingSetup } from './serving/setup.ts';

const [USERS = 25_000, ITEMS = 50_000, PER_USER = 14] = process.argv.slice(2, 5).map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const POOL = 4000;
const CREDENTIALS = { accessKeyId: 'benchkey', secretAccessKey: 'benchsecret' };
const REGION = 'us-east-1';

const here = dirname(fileURLToPath(import.meta.url));
const keep = process.env.BENCH_DATA_DIR;
const dataDir = keep ?? mkdtempSync(join(tmpdir(), 'serving-bench-'));
if (keep) mkdirSync(keep, { recursive: true });

/** A service process on the data dir, driven over IPC (bench/serving/bench-server.ts). */
async function startServer(cpuProfDir?: string) {
  const server: ChildProcess = fork(join(here, 'serving', 'bench-server.ts'), [], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [])],
    env: {
      ...process.env,
      PORT: String(await freePort()),
      OPENPERSONALIZE_DATA_DIR: dataDir,
      OPENPERSONALIZE_PROVISIONING_MS: '0',
      OPENPERSONALIZE_CREDENTIALS: `${CREDENTIALS.accessKeyId}:${CREDENTIALS.secretAccessKey}:000000000000`,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const replies = new Map<number, (m: ServerMessage) => void>();
  let ready: (endpoint: string) => void;
  const started = new Promise<string>((r) => (ready = r));
  server.on('message', (m: ServerMessage) => (m.type === 'ready' ? ready(m.endpoint) : replies.get(m.id)?.(m)));
  const exited = once(server, 'exit');
  const failed = (code: number | null) => code !== 0 && (console.error(`the service exited with ${code}`), process.exit(1));
  server.once('exit', failed);
  const kill = () => server.kill('SIGKILL');
  process.once('exit', kill);
  return {
    endpoint: await started,
    ask<T extends ServerMessage>(cmd: ServerCommand['cmd'], args: Record<string, string> = {}): Promise<T> {
      const id = nextId++;
      return new Promise((resolve) => {
        replies.set(id, (m) => (replies.delete(id), resolve(m as T)));
        server.send({ id, cmd, ...args } as ServerCommand);
      });
    },
    async stop() {
      server.off('exit', failed);
      server.send({ id: nextId++, cmd: 'stop' } satisfies ServerCommand);
      await exited;
      process.off('exit', kill);
    },
  };
}

// Setup in one service process; the measurements in a fresh one (a cold node: nothing loaded, and
// its memory is not that of a process that just trained). BENCH_DATA_DIR keeps the data and the
// trained campaign in that directory, to measure again without training again.
let setup: ServingSetup & { rows: number };
const saved = join(dataDir, 'serving-bench.json');
if (existsSync(saved)) setup = JSON.parse(readFileSync(saved, 'utf8'));
else {
  const rows = writeInteractions(join(dataDir, 'buckets', 'bench', 'interactions.csv'), USERS, ITEMS, PER_USER);
  const trainer = await startServer();
  const client = new PersonalizeClient({ endpoint: trainer.endpoint, region: REGION, credentials: CREDENTIALS });
  setup = { ...(await deploy(client)), rows };
  await trainer.stop();
  writeFileSync(saved, JSON.stringify(setup));
}
const { campaignArn, filterArn, trainSeconds, rows } = setup;
const server = await startServer(process.env.BENCH_CPU_PROF);
const { endpoint, ask } = server;

const users = (n: number) => Array.from({ length: n }, (_, i) => `u${(i * 7919) % USERS}`);
const body = (o: Record<string, unknown>) => JSON.stringify({ campaignArn, numResults: 25, ...o });
const sign = (bodies: string[]) => signAll(endpoint, '/recommendations', bodies, CREDENTIALS, REGION);
const pools: Record<string, Signed[]> = {
  recommendations: await sign(users(POOL).map((userId) => body({ userId }))),
  'no-op (404)': await sign(users(POOL).map((userId) => body({ campaignArn: `${campaignArn}-none`, userId }))),
  filtered: await sign(users(POOL).map((userId) => body({ userId, filterArn }))),
};
// BENCH_KINDS=recommendations (a comma-separated subset) measures only those, e.g. for a profile.
const only = process.env.BENCH_KINDS?.split(',');
for (const name of Object.keys(pools)) if (only && !only.includes(name)) delete pools[name];
const expected: Record<string, number> = { recommendations: 200, 'no-op (404)': 404, filtered: 200 };

// Cold: the first request loads the model and builds the interaction index.
const before = (await ask<Extract<ServerMessage, { type: 'memory' }>>('memory')).usage;
const cold = await closedLoop(endpoint, await sign([body({ userId: 'u1' })]), 1, 0);
const coldFiltered = await closedLoop(endpoint, await sign([body({ userId: 'u1', filterArn })]), 1, 0);
const after = (await ask<Extract<ServerMessage, { type: 'memory' }>>('memory')).usage;
for (const r of [cold, coldFiltered])
  if (!r.statuses.has(200)) throw new Error(`first request failed: ${[...r.sample.values()].join(' ')}`);

// Warm-up, then the alternating rounds.
for (const pool of Object.values(pools)) await closedLoop(endpoint, pool, CONCURRENCY, 1);
const clientMs: Record<string, number[]> = {};
const serverMs: Record<string, number[]> = {};
const secondsOf: Record<string, number> = {};
const counts: Record<string, number> = {};
const cpuOf: Record<string, number> = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, pool] of Object.entries(pools)) {
    await ask('reset');
    const r: RunResult = await closedLoop(endpoint, pool, CONCURRENCY, SECONDS);
    const { byStatus: times, cpuMs } = await ask<Extract<ServerMessage, { type: 'times' }>>('times');
    cpuOf[name] = (cpuOf[name] ?? 0) + cpuMs;
    const want = expected[name];
    for (const [status, n] of r.statuses)
      if (status !== want) throw new Error(`${name}: ${n} answers with status ${status}, e.g. ${r.sample.get(status)}`);
    (clientMs[name] ??= []).push(...r.ms);
    (serverMs[name] ??= []).push(...(times[String(want)] ?? []));
    secondsOf[name] = (secondsOf[name] ?? 0) + r.seconds;
    counts[name] = (counts[name] ?? 0) + r.ms.length;
  }
}
const log = (await ask<Extract<ServerMessage, { type: 'log' }>>('log')).lines;
// The one trained artifact in the data dir (the model store keeps artifacts as .bin files).
const artifact = readdirSync(join(dataDir, 'storage'), { recursive: true, encoding: 'utf8' }).find((f) => f.endsWith('.bin'));
const modelBytes = artifact
  ? (
      await ask<Extract<ServerMessage, { type: 'model-memory' }>>('model-memory', {
        artifact: join(dataDir, 'storage', artifact),
        recipe: 'aws-user-personalization',
      })
    ).bytes
  : NaN;
const modelMs = artifact
  ? (
      await ask<Extract<ServerMessage, { type: 'model-time' }>>('model-time', {
        artifact: join(dataDir, 'storage', artifact),
        recipe: 'aws-user-personalization',
        interactions: join(dataDir, 'buckets', 'bench', 'interactions.csv'),
        users: users(POOL).join(','),
      })
    ).ms
  : [];
await server.stop();
if (!keep) rmSync(dataDir, { recursive: true, force: true });

// The report.
const ms = (x: number) => `${x.toFixed(2)} ms`;
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MB`;
const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');
const p = (name: string, q: number) => quantile(serverMs[name] ?? [], q);
const rps = (name: string) => (counts[name] ?? NaN) / secondsOf[name];
const ratio = p('recommendations', 0.5) / p('no-op (404)', 0.5);
const model = log.find((l) => l.msg === 'model loaded');
const index = log.find((l) => l.msg === 'serving index built');
console.log(
  `serving: ${rows.toLocaleString('en-US')} interactions of ${USERS.toLocaleString('en-US')} users on ${ITEMS.toLocaleString('en-US')} items; ` +
    `trained in ${trainSeconds.toFixed(1)} s; ${CONCURRENCY} connections, ${ROUNDS} rounds of ${SECONDS} s per kind`,
);
console.log(`  filter: ${PURCHASE_FILTER}`);
console.log('  kind               requests   req/s   server p50   p99        client p50   p99        server CPU/request');
for (const name of Object.keys(pools))
  console.log(
    `  ${name.padEnd(17)} ${String(counts[name]).padStart(9)} ${rps(name).toFixed(0).padStart(7)}   ` +
      `${ms(p(name, 0.5)).padEnd(12)} ${ms(p(name, 0.99)).padEnd(10)} ${ms(quantile(clientMs[name], 0.5)).padEnd(12)} ${ms(quantile(clientMs[name], 0.99)).padEnd(10)} ` +
      ms(cpuOf[name] / counts[name]),
  );
const checks: [string, string, string, boolean][] = [
  ['GetRecommendations server p50', ms(p('recommendations', 0.5)), '≤ 2 ms', p('recommendations', 0.5) <= 2],
  ['GetRecommendations server p99', ms(p('recommendations', 0.99)), '≤ 10 ms', p('recommendations', 0.99) <= 10],
  ['GetRecommendations requests/s', rps('recommendations').toFixed(0), '≥ 2,000', rps('recommendations') >= 2000],
  ['latency p50 / no-op p50', `${ratio.toFixed(2)} ×`, '≤ 1.5 ×', ratio <= 1.5],
  ['filtered server p99', ms(p('filtered', 0.99)), '≤ 15 ms', p('filtered', 0.99) <= 15],
];
for (const [what, value, target, ok] of checks.filter(([, v]) => !v.startsWith('NaN')))
  console.log(`  ${mark(ok)} ${what.padEnd(32)} ${value.padEnd(10)} target ${target}`);
console.log(
  `  first request (cold: model load + index build): ${ms(cold.ms[0])}, then first filtered ${ms(coldFiltered.ms[0])}; ` +
    `model loaded in ${model?.durationMs ?? '?'} ms, index of ${index?.users ?? '?'} users / ${index?.interactions ?? '?'} interactions built in ${index?.durationMs ?? '?'} ms`,
);
// The model's own share: what the ratio could be at best if nothing but the model came on top of the no-op.
const modelP50 = quantile(modelMs, 0.5);
console.log(
  `  the model alone (recommend, numResults 25, the same users, in the service process, warm): p50 ${ms(modelP50)}; ` +
    `the no-op's server p50 plus that: ${((p('no-op (404)', 0.5) + modelP50) / p('no-op (404)', 0.5)).toFixed(2)} × the no-op`,
);
console.log(
  `  memory per loaded model: ${mb(modelBytes)} (heap and array buffers of one more copy of it, loaded in the service process), ` +
    `${mb(Number(model?.bytes ?? 0))} counted by the model cache (artifact bytes); the first requests grew the process ` +
    `(model, interaction index, code) by RSS ${mb(after.rss - before.rss)}, heap ${mb(after.heapUsed - before.heapUsed)}, ` +
    `array buffers ${mb(after.arrayBuffers - before.arrayBuffers)}`,
);
