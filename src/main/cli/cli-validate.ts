// `openpersonalize validate FILE... --schema S.json`: would an import of these files succeed?
// No server: the files go through checkImport, i.e. the engine's own validateToParquet, so the
// verdict and the failureReason are the ones an import job would produce. Several FILEs are one
// import, as the files of an s3://bucket/folder/ are (identical headers required).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkImport, type ImportCheck } from '../../data/engine/check-import.ts';
import type { RowError } from '../../data/engine/types.ts';
import { CliError, loadSchemaFile, mb, parseCommandArgs, parseDatasetType, parseDomain, type Io } from './cli-common.ts';

export const VALIDATE_HELP = `Usage: openpersonalize validate FILE... --schema SCHEMA.json [options]

Checks CSV files against exactly the rules a dataset import applies (the service's own code),
without a server. Several files are checked as one import (like the files of an S3 folder).

Options:
  --schema FILE          the dataset schema (Avro JSON, as given to CreateSchema)      required
  --type TYPE            Interactions, Items, Users, Actions or Action_Interactions;
                         must match the schema's record name (default: taken from it)
  --domain DOMAIN        ECOMMERCE or VIDEO_ON_DEMAND for a domain dataset group's schema
  --max-problems N       problems listed, default 100 (the summary counts all bad rows)
  --json                 one JSON object on stdout instead of text

Prints each problem as FILE:LINE:COLUMN: RULE: MESSAGE (lines count from 1 = the header; the
message quotes the offending value), then a summary. Exit status: 0 the import would succeed,
1 it would fail, 2 the command could not run (usage, unreadable schema).
`;

const OPTIONS = {
  schema: { type: 'string' },
  type: { type: 'string' },
  domain: { type: 'string' },
  'max-problems': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** FILE:LINE:COLUMN: RULE: MESSAGE; LINE and COLUMN are left out where the problem has none. */
export function formatProblem(e: RowError): string {
  let where = e.file;
  if (e.line > 0) where += `:${e.line}`;
  if (e.column !== null) where += `${e.line > 0 ? '' : ':'}:${e.column}`;
  return `${where}: ${e.code}: ${e.rule}`;
}

function summary(c: ImportCheck, files: string[]): string {
  const what = files.length === 1 ? files[0] : `${files.length} files`;
  const parts = [c.rows === null ? 'rows not read' : `${c.rows} ${c.rows === 1 ? 'row' : 'rows'}`, `${c.badRows} bad`];
  if (c.distinct.eventTypes !== undefined) parts.push(`${c.distinct.eventTypes} event types`);
  if (c.distinct.users !== undefined) parts.push(`${c.distinct.users} users`);
  if (c.distinct.items !== undefined) parts.push(`${c.distinct.items} items`);
  if (c.bytes > 0) parts.push(mb(c.bytes));
  return `${what}: ${parts.join(', ')}`;
}

export async function validateCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, 'validate');
  if (values.help) {
    io.out(VALIDATE_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new CliError('validate needs at least one FILE (see openpersonalize validate --help)');
  if (!values.schema) throw new CliError('validate needs --schema SCHEMA.json (see openpersonalize validate --help)');
  const limit = values['max-problems'] === undefined ? 100 : Number(values['max-problems']);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new CliError(`--max-problems ${values['max-problems']} must be a whole number >= 1`);
  const { schema } = await loadSchemaFile(values.schema, parseDatasetType(values.type), parseDomain(values.domain));
  for (const f of positionals) {
    let st;
    try {
      st = statSync(f);
    } catch (e) {
      throw new CliError(`cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    // The engine reads a file twice on failure: a pipe or a device would not survive that.
    if (!st.isFile()) throw new CliError(`${f} is not a regular file`);
  }

  const workDir = mkdtempSync(join(tmpdir(), 'openpersonalize-validate-'));
  let check: ImportCheck;
  try {
    const engine = { workDir, memoryLimit: io.env.OPENPERSONALIZE_DUCKDB_MEMORY_LIMIT || undefined };
    check = await checkImport({ schema, sources: positionals.map((p) => ({ displayName: p, path: p })), engine, limit });
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  // Bad rows not listed (one problem per bad row); a file-level failure has nothing more to list.
  const more = check.rows === null ? 0 : Math.max(0, check.badRows - check.problems.filter((p) => p.line > 1).length);

  if (values.json) {
    io.out(
      `${JSON.stringify({
        ok: check.ok,
        ...(check.failureReason === undefined ? {} : { failureReason: check.failureReason }),
        datasetType: schema.datasetType,
        files: positionals,
        rows: check.rows,
        badRows: check.badRows,
        bytes: check.bytes,
        distinct: check.distinct,
        problems: check.problems,
        moreBadRows: more,
      })}\n`,
    );
  } else {
    for (const p of check.problems) io.out(`${formatProblem(p)}\n`);
    if (more > 0) io.out(`... and ${more} more bad ${more === 1 ? 'row' : 'rows'} (--max-problems N lists more)\n`);
    io.out(`${summary(check, positionals)}\n`);
    io.out(
      check.ok
        ? `OK: an import of ${positionals.length === 1 ? 'this file' : 'these files'} would succeed\n`
        : `FAILED: an import would fail: ${check.failureReason}\n`,
    );
  }
  return check.ok ? 0 : 1;
}
