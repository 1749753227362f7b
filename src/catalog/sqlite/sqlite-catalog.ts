// The catalog on one SQLite file (or :memory:), through better-sqlite3.
//
// better-sqlite3 is synchronous and has one connection, but `transaction(fn)` takes an async fn
// that may await between its statements. An in-process async mutex therefore serialises
// everything: a transaction holds it from BEGIN IMMEDIATE to COMMIT/ROLLBACK, and every
// operation outside a transaction takes it for its one statement, so nothing from outside can
// slip into (or read the uncommitted middle of) an open transaction.
//
// The mutex belongs to the file, not to the SqliteCatalog: two catalogs on one file in one
// process (a reopen while the old one is still open, tests) are separate connections, and one's
// BEGIN IMMEDIATE while the other holds the write lock across an await would block the whole
// event loop in SQLite's busy wait, so the holder could never get to COMMIT. This backend is for
// one process (capabilities.multiProcess = false); busy_timeout only covers brief outside users
// such as the sqlite3 shell or a backup.

import { AsyncLocalStorage } from 'node:async_hooks';
import { realpathSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { CatalogCapabilities, CatalogOps } from '../catalog.ts';
import { migrate } from '../sql/migrations.ts';
import { sqliteDialect } from './sqlite-dialect.ts';
import { SqlCatalogOps } from '../sql/sql-catalog-ops.ts';
import { SqlCatalog } from '../sql/sql-catalog.ts';
import { TransactionScope, type SqlExecutor, type SqlParam, type SqlRow } from '../sql/sql-executor.ts';

const BUSY_TIMEOUT_MS = 5000;

/** FIFO async mutex: run(fn) starts fn once every earlier run has settled. */
class AsyncMutex {
  private tail: Promise<void> = Promise.resolve();

  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const previous = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** What all catalogs on one file in this process share. */
interface FileGate {
  mutex: AsyncMutex;
  /** The transaction whose fn is running in the current async context, if any. */
  current: AsyncLocalStorage<TransactionScope>;
  users: number;
}

const gates = new Map<string, FileGate>();

/** The gate of a file (by real path), or a private one for an in-memory database. */
function enterGate(db: Database.Database): { gate: FileGate; leave: () => void } {
  const key = db.memory ? undefined : realpathSync(db.name);
  let gate = key === undefined ? undefined : gates.get(key);
  if (!gate) {
    gate = { mutex: new AsyncMutex(), current: new AsyncLocalStorage(), users: 0 };
    if (key !== undefined) gates.set(key, gate);
  }
  gate.users++;
  const entered = gate;
  return {
    gate: entered,
    leave: () => {
      if (--entered.users === 0 && key !== undefined && gates.get(key) === entered) gates.delete(key);
    },
  };
}

/** Runs statements directly on the connection; callers arrange exclusivity. */
class SqliteExecutor implements SqlExecutor {
  private readonly statements = new Map<string, Database.Statement<SqlParam[]>>();

  constructor(private readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement<SqlParam[]> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare<SqlParam[]>(sql);
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }

  allSync(sql: string, params: readonly SqlParam[] = []): SqlRow[] {
    return this.prepare(sql).all(...params) as SqlRow[];
  }

  runSync(sql: string, params: readonly SqlParam[] = []): number {
    return this.prepare(sql).run(...params).changes;
  }

  async all(sql: string, params?: readonly SqlParam[]): Promise<SqlRow[]> {
    return this.allSync(sql, params);
  }

  async run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.runSync(sql, params);
  }
}

// On SQLite a write transaction (BEGIN IMMEDIATE, held under the mutex) already excludes every
// other writer and reader of this catalog, so a check-then-insert inside `transaction` cannot
// race and an extra lock would add nothing.
const noLock = async (): Promise<void> => {};

export class SqliteCatalog extends SqlCatalog {
  readonly capabilities: CatalogCapabilities = { multiProcess: false };
  readonly dialect = sqliteDialect;
  protected readonly autocommit: SqlCatalogOps;
  readonly sql: SqlExecutor;
  private readonly raw: SqliteExecutor;
  private readonly gate: FileGate;
  private readonly leaveGate: () => void;

  private constructor(private readonly db: Database.Database) {
    super();
    ({ gate: this.gate, leave: this.leaveGate } = enterGate(db));
    this.raw = new SqliteExecutor(db);
    const outside: SqlExecutor = {
      all: (sql, params) => this.exclusive(() => this.raw.allSync(sql, params)),
      run: (sql, params) => this.exclusive(() => this.raw.runSync(sql, params)),
    };
    this.autocommit = new SqlCatalogOps(outside, noLock);
    this.sql = outside;
  }

  /** Opens (creating if needed) the catalog at `path`, or an in-memory one for ':memory:'. */
  static async open(path: string): Promise<SqliteCatalog> {
    const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    let catalog: SqliteCatalog | undefined;
    try {
      db.pragma('journal_mode = WAL');
      // FULL: fsync the WAL on every commit, so a committed write survives power loss.
      db.pragma('synchronous = FULL');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Per connection and off by default; tags rely on ON DELETE CASCADE.
      db.pragma('foreign_keys = ON');
      const opened = (catalog = new SqliteCatalog(db));
      await opened.transaction(() => migrate(opened.raw, sqliteDialect));
      return opened;
    } catch (err) {
      if (catalog) await catalog.close();
      else db.close();
      throw err;
    }
  }

  /** The connection settings actually in force, for diagnostics and tests. */
  diagnostics(): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeout: number } {
    const one = (name: string) => this.db.pragma(name, { simple: true });
    return {
      journalMode: String(one('journal_mode')),
      synchronous: Number(one('synchronous')),
      foreignKeys: Number(one('foreign_keys')),
      busyTimeout: Number(one('busy_timeout')),
    };
  }

  transaction<T>(fn: (tx: CatalogOps) => Promise<T>): Promise<T> {
    return this.sqlTransaction((exec) => fn(new SqlCatalogOps(exec, noLock)));
  }

  async sqlTransaction<T>(fn: (exec: SqlExecutor) => Promise<T>): Promise<T> {
    this.assertNotReentrant();
    return this.gate.mutex.run(async () => {
      const scope = new TransactionScope();
      const exec: SqlExecutor = {
        all: async (sql, params) => (scope.check(), this.raw.allSync(sql, params)),
        run: async (sql, params) => (scope.check(), this.raw.runSync(sql, params)),
      };
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.gate.current.run(scope, () => fn(exec));
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        // Some errors (e.g. SQLITE_FULL) already rolled back; a failing ROLLBACK must not hide
        // the error that caused it.
        if (this.db.inTransaction) {
          try {
            this.db.exec('ROLLBACK');
          } catch {
            /* the original error is the one worth reporting */
          }
        }
        throw err;
      } finally {
        scope.open = false;
      }
    });
  }

  async close(): Promise<void> {
    // Waits for the running transaction and queued operations, then closes the file.
    await this.exclusive(() => {
      if (this.db.open) {
        this.db.close();
        this.leaveGate();
      }
    });
  }

  private exclusive<T>(fn: () => T): Promise<T> {
    this.assertNotReentrant();
    return this.gate.mutex.run(fn);
  }

  /**
   * Using the Catalog itself (instead of the tx argument) inside `transaction(fn)` would wait
   * for the mutex that fn's own transaction holds, forever. Fail loudly instead.
   */
  private assertNotReentrant(): void {
    if (this.gate.current.getStore()?.open) {
      throw new Error(
        'SQLite catalog used from inside its own transaction: call operations on the tx argument of transaction(fn), not on the Catalog (that would deadlock)',
      );
    }
  }
}
