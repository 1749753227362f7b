// PostgreSQL's side of the catalog SQL. FOR UPDATE SKIP LOCKED passes over rows other claimers
// have locked, so concurrent claims from any number of connections or processes take different
// jobs without waiting on each other (at READ COMMITTED a row another claim has just committed is
// re-checked against the WHERE and passed over).
import type { SqlDialect } from '../sql/sql-dialect.ts';

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  jsonType: 'JSONB',
  keyType: 'TEXT COLLATE "C"',
  jsonText: (column) => `(${column} ->> ?::text)`,
  claimRowLock: 'FOR UPDATE SKIP LOCKED',
};
