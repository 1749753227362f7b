// The user models on large, sparse catalogs (bench/training/large-catalog-data.ts: Zipf long tail,
// clusters of ~2,000 items, drifting users), under AWS's holdout (offline-metrics.ts): training
// time, peak RSS, artifact size, recommend() latency and NDCG@25 against popularity. Each
// (catalog, model) pair runs in its own process, so that peak RSS is its own.
//
//   node --import tsx bench/training/large-catalog-bench.ts [--items 200000,1000000,5000000]
//        [--per-item 3] [--models popularity,graph,factors] [--tests 2000] [--seed 1]
// Models: popularity (aws-popularity-count); graph (the RP3beta item graph of the user model, as
// trained below the large-catalog threshold); factors (the large-catalog model, user-factors.ts);
// v2 (what aws-user-personalization-v2 trains for the catalog: one of the last two).
// NDCG@25 is taken over `tests` test users spread over the holdout (all of them if fewer); the
// latency over the same requests, each a fresh history (no cache), on the loaded artifact.
import { fork } from 'node:child_process';
import { evaluationSplit } from '../../src/training/metrics/offline-metrics.ts';
import { rankingMetrics } from '../../src/training/metrics/ranking-metrics.ts';
import { popularityCountTrainer } from '../../src/training/models/popularity-count.ts';
import { trainUserModel, userOptions, userPersonalizationV2Trainer } from '../../src/training/models/user-personalization.ts';
import { lastFactorTuning } from '../../src/training/models/factor-model.ts';
import { UserModel } from '../../src/training/models/user-model.ts';
import type { Model, Trainer, TrainingData } from '../../src/training/trainer.ts';
import { largeCatalog } from './large-catalog-data.ts';

const args = new Map<string, string>();
for (let a = 2; a < process.argv.length; a += 2) args.set(process.argv[a].replace(/^--/, ''), process.argv[a + 1]);
const NDCG = 'normalized_discounted_cumulative_gain_at_25';
const RECIPE = 'aws-user-personalization-v2';
const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

async function trainAs(model: string, data: TrainingData): Promise<{ model: Model; trainer: Trainer }> {
  const v2 = userPersonalizationV2Trainer;
  if (model === 'popularity') return { model: await popularityCountTrainer.train(data, {}), trainer: popularityCountTrainer };
  if (model === 'v2') return { model: await v2.train(data, {}), trainer: v2 };
  const o = userOptions(RECIPE, {});
  // Forced either way with the threshold: 0 makes every catalog large, Infinity none.
  const forced = { ...o, largeCatalogItems: model === 'factors' ? 0 : Infinity };
  return { model: await trainUserModel(RECIPE, data, forced), trainer: v2 };
}

async function child(items: number, model: string): Promise<void> {
  const perItem = Number(args.get('per-item') ?? 3);
  let t = performance.now();
  // A Zipf(0.8) catalog of 1.7 × `items` leaves about `items` of them with interactions (5 on average).
  const catalog = Math.round(items * 1.7);
  const data = largeCatalog({ items: catalog, perItem, zipf: 0.8, seed: Number(args.get('seed') ?? 1) });
  const genS = (performance.now() - t) / 1000;
  const split = evaluationSplit(data, 1);
  const want = Number(args.get('tests') ?? 2000);
  const step = Math.max(1, split.tests.length / want);
  const tests = Array.from({ length: Math.min(want, split.tests.length) }, (_, k) => split.tests[Math.floor(k * step)]);
  const baseRss = process.memoryUsage().rss;
  t = performance.now();
  const trained = await trainAs(model, split.train);
  const trainS = (performance.now() - t) / 1000;
  const tuned = model === 'factors' || model === 'v2' ? JSON.stringify(lastFactorTuning?.params) : undefined;
  console.error(`${items} items, ${model}: trained in ${trainS.toFixed(1)} s, RSS ${mb(process.resourceUsage().maxRSS * 1024)} MB so far`);
  const peakTrain = process.resourceUsage().maxRSS * 1024;
  t = performance.now();
  let artifact: Buffer;
  try {
    artifact = trained.model.serialize();
  } catch (e) {
    console.log(
      `${items} items, ${model}: trained in ${trainS.toFixed(1)} s, peak RSS ${mb(peakTrain)} MB, serialize failed: ${String(e)}`,
    );
    throw e;
  }
  const serializeS = (performance.now() - t) / 1000;
  t = performance.now();
  const loaded = trained.trainer.load(artifact);
  const loadS = (performance.now() - t) / 1000;
  const ms: number[] = [];
  const lists = tests.map((x) => {
    const t0 = performance.now();
    const recs = loaded.recommend({ history: x.input, k: 25 });
    ms.push(performance.now() - t0);
    return recs.map((s) => s.item);
  });
  ms.sort((a, b) => a - b);
  // The index's recall: the top 25 found against the exact top 25 (a full scan), on 100 requests.
  let recall: number | undefined;
  const core = loaded instanceof UserModel ? loaded.core : undefined;
  if (core?.kind === 'factors') {
    const index = new Map(loaded instanceof UserModel ? loaded.itemIds.map((id, j) => [id, j]) : []);
    let hit = 0;
    let all = 0;
    for (const x of tests.slice(0, 100)) {
      const found = new Set(loaded.recommend({ history: x.input, k: 25 }).map((s) => index.get(s.item)));
      for (const j of core.exactTop(25)) (all++, found.has(j) && hit++);
    }
    recall = +(hit / all).toFixed(3);
  }
  const metrics = rankingMetrics(
    lists,
    tests.map((x) => x.relevant),
    split.catalogSize,
  );
  const row = {
    items,
    model,
    catalog: data.itemIds.length,
    users: data.userIds.length,
    interactions: data.user.length,
    testUsers: tests.length,
    genS: +genS.toFixed(1),
    trainS: +trainS.toFixed(1),
    baseRssMb: mb(baseRss),
    peakRssMb: mb(Math.max(peakTrain, process.resourceUsage().maxRSS * 1024)),
    artifactMb: mb(artifact.length),
    serializeS: +serializeS.toFixed(1),
    loadS: +loadS.toFixed(1),
    recommendMsMean: +(ms.reduce((a, b) => a + b, 0) / ms.length).toFixed(2),
    recommendMsP50: +ms[Math.floor(ms.length / 2)].toFixed(2),
    recommendMsP99: +ms[Math.floor(ms.length * 0.99)].toFixed(2),
    ndcg25: metrics[NDCG],
    coverage: metrics.coverage,
    ...(recall !== undefined ? { recall25: recall } : {}),
    ...(tuned ? { tuned } : {}),
  };
  process.send ? process.send(row) : console.log(JSON.stringify(row));
}

async function main(): Promise<void> {
  const sizes = (args.get('items') ?? '200000,1000000').split(',').map(Number);
  const models = (args.get('models') ?? 'popularity,graph,factors').split(',');
  const rows: Record<string, number | string>[] = [];
  for (const items of sizes) {
    for (const model of models) {
      const row = await new Promise<Record<string, number | string> | undefined>((resolve) => {
        const c = fork(import.meta.filename, [...process.argv.slice(2), '--child', `${items}:${model}`], {
          execArgv: ['--import', 'tsx', '--max-old-space-size=12000'],
        });
        let got: Record<string, number | string> | undefined;
        c.on('message', (m) => (got = m as Record<string, number | string>));
        c.on('exit', (code) => {
          if (code !== 0) console.log(`${items} items, ${model}: exited with ${code}`);
          resolve(got);
        });
      });
      if (!row) continue;
      rows.push(row);
      console.log(JSON.stringify(row));
    }
    const pop = rows.find((r) => r.items === items && r.model === 'popularity');
    for (const r of rows.filter((x) => x.items === items && x.model !== 'popularity')) {
      const vsPop = pop ? ` (${(Number(r.ndcg25) / Number(pop.ndcg25)).toFixed(2)}× popularity ${pop.ndcg25})` : '';
      console.log(
        `${r.catalog} items, ${r.interactions} interactions, ${r.users} users | ${r.model}: train ${r.trainS} s, peak RSS ${r.peakRssMb} MB` +
          ` (data ${r.baseRssMb} MB), artifact ${r.artifactMb} MB, load ${r.loadS} s, recommend ${r.recommendMsMean} ms` +
          ` (p50 ${r.recommendMsP50}, p99 ${r.recommendMsP99}) | NDCG@25 ${r.ndcg25}${vsPop}, coverage ${r.coverage}` +
          (r.recall25 !== undefined ? `, index recall@25 ${r.recall25}` : '') +
          (r.tuned ? `, tuned ${r.tuned}` : ''),
      );
    }
  }
}

const which = args.get('child');
if (which) {
  const [items, model] = which.split(':');
  await child(Number(items), model);
} else await main();
