// The console's temporary record parts live under <data dir>/work/console; a process that crashed
// leaves them behind, and the next one removes them when it starts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startTestService } from '../testkit/service-harness.ts';

describe('console work dir', () => {
  it('is cleared of a crashed process leftovers at start', async () => {
    const first = await startTestService();
    const leftover = join(first.dataDir, 'work', 'console', 'records-abc123');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, 'records-0.parquet'), 'half written');
    const dataDir = first.dataDir;
    // The next process on the same data dir (the first one "crashed": its files stay).
    const second = await startTestService({ OPENPERSONALIZE_DATA_DIR: dataDir });
    try {
      assert.equal(existsSync(leftover), false);
    } finally {
      await second.close();
      await first.close();
    }
  });
});
