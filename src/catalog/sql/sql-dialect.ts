// Where the two SQL backends differ, in one object per backend (sqlite/sqlite-dialect.ts,
// postgres/postgres-dialect.ts): everything else of the catalog's SQL is written once.
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The JSON document column: TEXT in SQLite, JSONB in PostgreSQL. */
  readonly jsonType: string;
  /**
   * Text that is ordered and compared (ARNs are a keyset-pagination tiebreak). PostgreSQL would
   * otherwise sort by the database's locale collation; "C" gives byte order, as SQLite does.
   */
  readonly keyType: string;
  /** SQL for the text of the top-level key `key` (a ? parameter follows) of a JSON document column. */
  jsonText(column: string): string;
  /** Appended to a job claim's SELECT so that concurrent claimers take different jobs (sql-job-queue.ts). */
  readonly claimRowLock: string;
}
