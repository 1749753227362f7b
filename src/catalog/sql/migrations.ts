// Versioned schema migrations for both catalog backends.
//
// Each migration is applied at most once, in version order, and recorded in schema_migrations.
// The caller runs `migrate` inside one transaction (so a failed migration leaves nothing behind)
// and, on PostgreSQL, after taking an advisory lock (so two processes opening the same database
// at once do not both try to create the tables). Migrations are append-only: never edit or
// renumber a released one, add a new version instead.

import type { SqlDialect } from './sql-dialect.ts';
import type { SqlExecutor } from './sql-executor.ts';

export interface Migration {
  version: number;
  description: string;
  /** One statement per entry (neither driver's parameterised path accepts several at once). */
  statements: (d: SqlDialect) => string[];
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'resources, tags and settings',
    statements: (d) => [
      `CREATE TABLE resources (
        arn ${d.keyType} NOT NULL PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        parent_arn ${d.keyType},
        status TEXT,
        created_at BIGINT NOT NULL,
        updated_at BIGINT NOT NULL,
        version INTEGER NOT NULL,
        body ${d.jsonType} NOT NULL
      )`,
      // Serves list/count: equality on the first three columns, keyset order on the last two.
      'CREATE INDEX resources_list ON resources (account, region, kind, created_at, arn)',
      'CREATE INDEX resources_parent ON resources (parent_arn)',
      // The cascade is what makes `delete` remove a resource's tags in the same statement.
      `CREATE TABLE tags (
        arn ${d.keyType} NOT NULL REFERENCES resources (arn) ON DELETE CASCADE,
        tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (arn, tag_key)
      )`,
      'CREATE TABLE settings (name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL)',
    ],
  },
  {
    version: 2,
    description: 'job queue',
    statements: (d) => [
      // No foreign key to resources: the queue row is the job's mechanics only, and the resource
      // row may be deleted independently (the worker then finds nothing to run and finishes it).
      `CREATE TABLE job_queue (
        arn ${d.keyType} NOT NULL PRIMARY KEY,
        kind TEXT NOT NULL,
        owner TEXT,
        lease_expires_at BIGINT,
        attempts INTEGER NOT NULL CHECK (attempts >= 0),
        enqueued_at BIGINT NOT NULL
      )`,
      // Serves claim: its ORDER BY enqueued_at, arn LIMIT 1 walks this index from the oldest job
      // and stops at the first available one of the wanted kinds (the queue holds only jobs not
      // yet finished, so the walk is short).
      'CREATE INDEX job_queue_claim ON job_queue (enqueued_at, arn)',
    ],
  },
  {
    version: 3,
    description: 'individual records (personalize-events)',
    statements: (d) => [
      // One row per record put through the events API (src/data/records/). record_key is the ID
      // (Items, Users, Actions: a put with the same ID replaces the row) or, for interactions, a
      // digest of the whole record (exact duplicates are kept once). The cascade removes a
      // dataset's records with its resource row, in the same statement.
      `CREATE TABLE records (
        dataset_arn ${d.keyType} NOT NULL REFERENCES resources (arn) ON DELETE CASCADE,
        record_key ${d.keyType} NOT NULL,
        user_id TEXT,
        put_at BIGINT NOT NULL,
        cells ${d.jsonType} NOT NULL,
        PRIMARY KEY (dataset_arn, record_key)
      )`,
      // Serves deleteUsers (data deletion jobs): every record of some users in some datasets.
      'CREATE INDEX records_user ON records (dataset_arn, user_id)',
    ],
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;

/** Applies the pending migrations; returns the versions applied now (empty when up to date). */
export async function migrate(exec: SqlExecutor, dialect: SqlDialect): Promise<number[]> {
  for (let i = 1; i < MIGRATIONS.length; i++) {
    if (MIGRATIONS[i].version <= MIGRATIONS[i - 1].version) {
      throw new Error(`catalog migrations out of order at version ${MIGRATIONS[i].version}`);
    }
  }
  await exec.run(
    `CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER NOT NULL PRIMARY KEY,
      description TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )`,
  );
  const rows = await exec.all('SELECT version FROM schema_migrations');
  const applied = new Set(rows.map((r) => Number(r.version)));
  const newest = Math.max(0, ...applied);
  if (newest > LATEST_VERSION) {
    // A newer openpersonalize has migrated this catalog; running old code on it could corrupt it.
    throw new Error(
      `catalog schema is at version ${newest}, newer than this openpersonalize supports (${LATEST_VERSION}); upgrade openpersonalize`,
    );
  }
  const done: number[] = [];
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    for (const statement of m.statements(dialect)) await exec.run(statement);
    await exec.run('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)', [
      m.version,
      m.description,
      Date.now(),
    ]);
    done.push(m.version);
  }
  return done;
}
