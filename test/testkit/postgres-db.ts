// A fresh PostgreSQL database per test run on the machine's server (127.0.0.1:5432, trust auth;
// OPENPERSONALIZE_TEST_PG_URL overrides), dropped at the end. PostgreSQL being unreachable is a
// failure, never a skip: a silently skipped backend would let it rot unnoticed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { redactUrl } from '../../src/catalog/postgres/postgres-catalog.ts';

export const adminUrl = process.env.OPENPERSONALIZE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `PostgreSQL is not reachable at ${redactUrl(adminUrl)} (${(err as Error).message}). ` +
        'Start it or point OPENPERSONALIZE_TEST_PG_URL at one; the PostgreSQL catalog tests do not skip.',
    );
  }
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createDatabase(): Promise<string> {
  const name = `op_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(async (c) => {
    // A locale collation where 'B' sorts after 'a' (unlike byte order), as on most production
    // servers, so the suite proves the catalog's ordering does not depend on the server locale.
    // Servers built without ICU get their default collation instead.
    try {
      await c.query(`CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'`);
    } catch {
      await c.query(`CREATE DATABASE ${name}`);
    }
  });
  return name;
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
