// SQLite's side of the catalog SQL. A claim needs no row lock: the statement runs under the
// file's write mutex, and SQLite allows one writer at a time anyway.
import type { SqlDialect } from '../sql/sql-dialect.ts';

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  jsonType: 'TEXT',
  keyType: 'TEXT',
  // The key is bound as a JSON path ('$.' || key), so no name is ever spliced into the SQL.
  jsonText: (column) => `json_extract(${column}, '$.' || ?)`,
  claimRowLock: '',
};
