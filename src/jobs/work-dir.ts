// A job's scratch folder under <data dir>/work: made for one run, removed when the run ends however
// it ends. A crash leaves it behind; nothing reads it again (every run makes a new one).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export async function withWorkDir<T>(dataDir: string, name: string, fn: (dir: string) => Promise<T>): Promise<T> {
  mkdirSync(join(dataDir, 'work'), { recursive: true });
  const dir = mkdtempSync(join(dataDir, 'work', `${name}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
