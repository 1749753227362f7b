// Chooses and opens the catalog backend from the configured database URL, and migrates it.

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseDatabaseUrl } from '../config/database-url.ts';
import type { Catalog } from './catalog.ts';
import { PostgresCatalog } from './postgres/postgres-catalog.ts';
import { SqliteCatalog } from './sqlite/sqlite-catalog.ts';

export async function openCatalog(databaseUrl: string | undefined, dataDir: string): Promise<Catalog> {
  const location = parseDatabaseUrl(databaseUrl, dataDir);
  if (location.kind === 'postgres') return PostgresCatalog.open(location.url);
  if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
  return SqliteCatalog.open(location.path);
}
