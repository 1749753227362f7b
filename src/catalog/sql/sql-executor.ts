// The small seam between the shared catalog SQL (sql-catalog-ops.ts, sql-job-queue.ts,
// migrations.ts) and the two drivers. Everything above this interface is written once, with `?`
// placeholders; each backend only knows how to run one statement on its connection
// (better-sqlite3 synchronously, pg over a pool or a checked-out client).

export type SqlParam = string | number | null;
export type SqlRow = Record<string, unknown>;

export interface SqlExecutor {
  /** Rows of a query, or of an INSERT/UPDATE/DELETE ... RETURNING. */
  all(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]>;
  /** Runs a statement that returns no rows; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/**
 * Marks the lifetime of one transaction's executor. A `tx` object that escapes `transaction(fn)`
 * (stored, or used by a promise nobody awaited) must not run statements afterwards: on SQLite it
 * would run outside the mutex, on PostgreSQL on a client already returned to the pool.
 */
export class TransactionScope {
  open = true;

  check(): void {
    if (!this.open) {
      throw new Error('catalog transaction already finished: its tx object was used after transaction(fn) settled');
    }
  }
}

const numbered = new Map<string, string>();

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1..$n`. Question marks inside quoted strings,
 * quoted identifiers and comments are left alone, although the catalog's own SQL has none.
 */
export function toNumberedPlaceholders(sql: string): string {
  const cached = numbered.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      out += `$${++n}`;
    } else {
      out += c;
    }
  }
  // Bounded: statements differ only by the length of IN (...) lists, but never cache without limit.
  if (numbered.size > 500) numbered.clear();
  numbered.set(sql, out);
  return out;
}
