// One DuckDB instance per engine call: the call's memory and threads are bounded on their own, a
// crashed or interrupted call cannot leave state (reject tables, settings) behind for another job,
// and opening an in-memory instance costs a few milliseconds next to a multi-second import.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { EngineOptions } from './types.ts';

export async function withDuck<T>(engine: EngineOptions, fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
  const db = await DuckDBInstance.create(':memory:', {
    memory_limit: engine.memoryLimit ?? '1GB',
    threads: String(engine.threads ?? 2),
    temp_directory: engine.workDir,
    // Row order is meaningful: within one part the last row for an ID wins.
    preserve_insertion_order: 'true',
  });
  try {
    const c = await db.connect();
    try {
      return await fn(c);
    } finally {
      c.closeSync();
    }
  } finally {
    db.closeSync();
  }
}

/** Runs a query and returns its rows as plain JSON-able values (BIGINTs as strings). */
export async function rows(c: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  const r = await c.runAndReadAll(sql);
  return r.getRowObjectsJson() as Record<string, unknown>[];
}
