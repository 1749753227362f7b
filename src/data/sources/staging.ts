// DuckDB reads local files only (no httpfs here), so remote objects are streamed to the job's
// work directory first, never held in memory; objects that already are local files are read
// in place.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { SourceObject } from './data-location.ts';
import type { CsvSource } from '../engine/types.ts';

export async function stageSources(
  objects: SourceObject[],
  workDir: string,
  signal: AbortSignal,
  onBytes: (bytes: number) => void = () => {},
): Promise<CsvSource[]> {
  const sources: CsvSource[] = [];
  for (const [i, o] of objects.entries()) {
    signal.throwIfAborted();
    if (o.localPath) {
      sources.push({ displayName: o.displayName, path: o.localPath });
      onBytes(o.size ?? 0);
      continue;
    }
    const path = join(workDir, `input-${i}.csv`);
    const input = await o.open();
    input.on('data', (chunk: Buffer) => onBytes(chunk.length));
    await pipeline(input, createWriteStream(path), { signal });
    sources.push({ displayName: o.displayName, path });
  }
  return sources;
}
