// Training time and artifact size of each built-in trainer on synthetic data, and serving time
// per recommend() call.
//   node --import tsx bench/training/speed-bench.ts [--users 100000] [--items 20000] [--history 20]
import { BUILT_IN_TRAINERS } from '../../src/training/models/built-in-trainers.ts';
import { synthetic } from '../../test/training/synthetic.ts';

const args = new Map<string, string>();
for (let a = 2; a < process.argv.length; a += 2) args.set(process.argv[a].replace(/^--/, ''), process.argv[a + 1]);
const users = Number(args.get('users') ?? 100_000);
const items = Number(args.get('items') ?? 20_000);
const history = Number(args.get('history') ?? 20);
const only = args.get('recipes')?.split(',');

let t = performance.now();
const s = synthetic({ seed: 1, users, items, meanHistory: history });
console.log(
  `${s.data.user.length} interactions, ${users} users, ${items} items (generated in ${((performance.now() - t) / 1000).toFixed(1)} s)`,
);
for (const [recipe, trainer] of BUILT_IN_TRAINERS) {
  if (only && !only.includes(recipe)) continue;
  if (recipe.endsWith('-v2') || recipe === 'aws-personalized-ranking') continue; // same model as aws-user-personalization
  t = performance.now();
  const model = await trainer.train(s.data, {});
  const trainS = (performance.now() - t) / 1000;
  const artifact = model.serialize();
  t = performance.now();
  const loaded = trainer.load(artifact);
  const loadS = (performance.now() - t) / 1000;
  const queries = 2000;
  t = performance.now();
  for (let q = 0; q < queries; q++) {
    const u = (q * 7919) % users;
    loaded.recommend({ history: [`i${(u * 31) % items}`, `i${(u * 17) % items}`, `i${u % items}`], itemId: `i${u % items}`, k: 25 });
  }
  const perQuery = ((performance.now() - t) * 1000) / queries;
  console.log(
    `${recipe}: train ${trainS.toFixed(1)} s, artifact ${(artifact.length / 2 ** 20).toFixed(1)} MiB, load ${loadS.toFixed(2)} s, ` +
      `recommend ${perQuery.toFixed(0)} µs, rss ${(process.memoryUsage().rss / 2 ** 30).toFixed(2)} GiB`,
  );
}
