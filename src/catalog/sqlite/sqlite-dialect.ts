// SQLite's side of the catalog SQL. A claim needs no row lock: the statement runs under the
// file's write mutex, and SQLite allows one writer at a time anyway.
import type { SqlDialect } from '../sql/sql-dialect.ts';

export const sqliteDialect: SqlDialect = { name: 'sqlite', jsonType: 'TEXT', keyType: 'TEXT', claimRowLock: '' };
