// The serving benchmark's service process (forked by bench/serving-bench.ts with an IPC channel):
// the whole service as `openpersonalize serve` builds it (startService, configuration from the
// environment), plus what only the process itself can see, asked for over IPC between phases:
//  * the server's own time per request: from Node's 'request' event (headers parsed) to the
//    response's 'finish' (handed to the socket), so the client's event loop and the loopback are
//    not in it; recorded by the HTTP status, reset and collected per phase, with the CPU time the
//    process used meanwhile (user + system, all its threads);
//  * its memory after a full GC (run with --expose-gc), and the service's log lines about loading
//    models and building the interaction index;
//  * what one loaded model takes: the deployed artifact loaded once more, as the model cache
//    loads it (its recipe's trainer), and held while the heap and array buffers are measured.
import { readFileSync } from 'node:fs';
import { startService } from '../../src/composition/build-service.ts';
import { loadConfig } from '../../src/config/config.ts';
import { BUILT_IN_TRAINERS } from '../../src/training/models/built-in-trainers.ts';

export type ServerMessage =
  | { type: 'ready'; endpoint: string }
  | { type: 'times'; id: number; byStatus: Record<string, number[]>; cpuMs: number }
  | { type: 'memory'; id: number; usage: NodeJS.MemoryUsage }
  | { type: 'log'; id: number; lines: Record<string, unknown>[] }
  | { type: 'model-memory'; id: number; bytes: number }
  | { type: 'model-time'; id: number; ms: number[] };

export type ServerCommand =
  | { id: number; cmd: 'reset' | 'times' | 'memory' | 'log' | 'stop' }
  | { id: number; cmd: 'model-memory'; artifact: string; recipe: string }
  | { id: number; cmd: 'model-time'; artifact: string; recipe: string; interactions: string; users: string };

const SERVING_LOGS = new Set(['model loaded', 'serving index built', 'internal failure', 'serving data refresh failed']);
const logLines: Record<string, unknown>[] = [];
const svc = await startService(loadConfig(process.env), (f) => {
  if (typeof f.msg === 'string' && SERVING_LOGS.has(f.msg)) logLines.push(f);
  if (f.level === 'error') process.stderr.write(`${JSON.stringify(f)}\n`);
});

let times = new Map<number, number[]>();
let cpuSince = process.cpuUsage();
svc.server.prependListener('request', (_req, res) => {
  const started = performance.now();
  res.once('finish', () => {
    const list = times.get(res.statusCode) ?? times.set(res.statusCode, []).get(res.statusCode)!;
    list.push(performance.now() - started);
  });
});

const send = (m: ServerMessage) => process.send!(m);
const gc = (globalThis as { gc?: () => void }).gc;
/**
 * Memory in use after full GCs, a few milliseconds apart: V8 frees array buffers' memory in the
 * background after a collection, and a first pass may only finalise what a second frees.
 */
async function inUse(): Promise<NodeJS.MemoryUsage> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage();
}

/**
 * The model alone: recommend() with numResults 25 for the users' histories (the interactions
 * file's rows, oldest first), in this process, three passes, the last one's times. What a request
 * costs at the least beyond the pipeline (no history read, filter, exploration or JSON).
 */
function modelTimes(artifact: string, recipe: string, csv: string, users: string[]): number[] {
  const model = BUILT_IN_TRAINERS.get(recipe)!.load(readFileSync(artifact));
  const wanted = new Set(users);
  const histories = new Map<string, string[]>();
  for (const line of readFileSync(csv, 'utf8').split('\n').slice(1)) {
    const [user, item] = line.split(',');
    if (wanted.has(user)) (histories.get(user) ?? histories.set(user, []).get(user)!).push(item);
  }
  let ms: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    ms = [];
    for (const user of users) {
      const started = performance.now();
      model.recommend({ history: histories.get(user) ?? [], k: 25 });
      ms.push(performance.now() - started);
    }
  }
  return ms;
}

process.on('message', async (m: ServerCommand) => {
  switch (m.cmd) {
    case 'reset':
      times = new Map();
      cpuSince = process.cpuUsage();
      return send({ type: 'times', id: m.id, byStatus: {}, cpuMs: 0 });
    case 'times': {
      const cpu = process.cpuUsage(cpuSince);
      return send({ type: 'times', id: m.id, byStatus: Object.fromEntries(times), cpuMs: (cpu.user + cpu.system) / 1000 });
    }
    case 'memory':
      return send({ type: 'memory', id: m.id, usage: await inUse() });
    case 'model-memory': {
      const before = await inUse();
      const model = BUILT_IN_TRAINERS.get(m.recipe)!.load(readFileSync(m.artifact));
      const after = await inUse();
      const bytes = after.heapUsed - before.heapUsed + after.arrayBuffers - before.arrayBuffers;
      return send({ type: 'model-memory', id: m.id, bytes: model ? bytes : 0 });
    }
    case 'model-time':
      return send({ type: 'model-time', id: m.id, ms: modelTimes(m.artifact, m.recipe, m.interactions, m.users.split(',')) });
    case 'log':
      return send({ type: 'log', id: m.id, lines: logLines });
    case 'stop':
      void svc.close().then(() => process.exit(0));
  }
});
send({ type: 'ready', endpoint: svc.endpoint });
