// Which catalog backend a database URL names, and where (no file or connection is opened here).
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ACCEPTED =
  'expected sqlite:<path>, sqlite::memory:, file:<path>, postgres://... or postgresql://... (or no URL for <dataDir>/catalog.sqlite)';

/** Which backend, and where: a SQLite path is ':memory:' or absolute. */
export type CatalogLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

/** Parses the URL without opening anything; throws a one-line Error for unsupported forms. */
export function parseDatabaseUrl(databaseUrl: string | undefined, dataDir: string): CatalogLocation {
  if (databaseUrl === undefined) return { kind: 'sqlite', path: resolve(dataDir, 'catalog.sqlite') };
  if (/^postgres(ql)?:\/\//i.test(databaseUrl)) return { kind: 'postgres', url: databaseUrl };
  let path: string | undefined;
  if (/^file:\/\//i.test(databaseUrl)) {
    try {
      path = fileURLToPath(databaseUrl);
    } catch (err) {
      throw new Error(`invalid file URL for the catalog (${(err as Error).message}); ${ACCEPTED}`);
    }
  } else {
    const prefix = /^(sqlite|file):/i.exec(databaseUrl);
    if (!prefix) {
      // Name only the scheme: the rest of an unknown URL may hold credentials.
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1];
      const what = scheme ? `scheme "${scheme}:"` : databaseUrl.trim() ? 'form' : 'empty URL';
      throw new Error(`unsupported catalog database URL ${what}; ${ACCEPTED}`);
    }
    path = databaseUrl.slice(prefix[0].length);
  }
  if (path === ':memory:') return { kind: 'sqlite', path };
  if (!path) throw new Error(`catalog database URL "${databaseUrl}" has no path; ${ACCEPTED}`);
  // Relative paths are relative to the working directory, as for any command-line path.
  return { kind: 'sqlite', path: resolve(path) };
}
