// The DuckDB settings of one job (or one console query): its temp dir and the configured memory
// limit. Two threads per job: a worker runs OPENPERSONALIZE_JOB_CONCURRENCY jobs on its cores.
import type { Config } from '../../config/config.ts';
import type { EngineOptions } from './types.ts';

export function engineOptions(config: Config, workDir: string): EngineOptions {
  return { workDir, memoryLimit: config.duckdbMemoryLimit, threads: 2 };
}
