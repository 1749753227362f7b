/**
 * The import engine: CSV files -> validated, typed Parquet parts of a dataset, and back.
 * A library (no server, no object store): every function takes local paths.
 *
 * API
 *   readHeader(path, displayName?): Promise<string[]>
 *       First line, BOM and CR removed, split on commas. IngestError for an empty file, a header
 *       that is not UTF-8 or longer than MAX_HEADER_BYTES. Cheap: for CreateDatasetImportJob.
 *   checkHeader(header, schema, displayName?): string[]
 *       IngestError('Input csv is missing the following columns: [A, B]') (AWS's wording), or for
 *       duplicate / quoted / empty names. Extra columns are allowed and ignored (not stored).
 *       Returns the header with columns that name a schema field in another case spelled as it.
 *   validateToParquet({ schema, sources, outputPath, engine }): Promise<ValidateResult>
 *       Validates every row of every source (all must have identical headers) and writes one
 *       Parquet part to outputPath (atomically; nothing is written on failure).
 *       { ok: true, rows, bytesRead, distinctEventTypes? } or
 *       { ok: false, failureReason, badRows, errors } where failureReason reads like
 *       "3 of 2000 rows are invalid. First errors: s3://b/x.csv line 17, column TIMESTAMP: 'abc' is
 *        not a whole number (long); line 20, column USER_ID: empty value, but USER_ID is required; ..."
 *       Lines are physical lines, header = 1. Sources must be regular files (read twice on failure).
 *       Throws only for non-data problems (I/O, out of disk).
 *   datasetViewSql(schema, parts): string
 *       SELECT of the current rows of a generation (see dataset-view.ts for the layout and semantics).
 *   countNewRecords({ schema, parts, incoming, engine }): Promise<string | null>
 *       Rule 55 for INCREMENTAL imports: failureReason if an Interactions / Action interactions
 *       import adds fewer than 1,000 records that the generation `parts` does not hold, else null.
 *       newRecordCount(...) gives the numbers.
 *   shouldCompact(n), compactParts({...}); the switch itself: generations/generation-switch.ts
 *       FULL = [new], INCREMENTAL = [...old, new]; compaction rewrites a generation as one part.
 *   exportToCsv({ schema, parts, outputPath, engine }): Promise<{ rows }>
 *       The view as CSV with the schema's field names as header, re-importable to the same data.
 *
 * Accepted CSV: UTF-8 (BOM allowed), LF or CRLF (mixed too), comma-separated, one record per line,
 * RFC 4180 quoting ("" inside quotes) and Personalize's backslash escapes (\" and \\ inside quotes).
 * Empty cell = NULL. Checks per cell: see cell-rules.ts; per import: >= 1,000 Interactions rows, and for
 * Interactions custom metadata columns + EVENT_TYPE/EVENT_VALUE columns + distinct event types
 * <= 10 (counted on the imported files).
 *
 * Cost: a valid file without backslashes is read once by a memchr pre-scan and once by a single
 * DuckDB COPY with the checks inline (~1.1-1.2x DuckDB reading the file with the column types
 * given into Parquet, bench/ingest-bench.ts). A file with a backslash, or an invalid one, is
 * first rewritten into a canonical form (canonicalize.ts, ~140 MB/s) and read again.
 *
 * Storage layout (dataset-view.ts): a generation = ordered list of immutable Parquet parts; FULL starts
 * a new generation, INCREMENTAL appends a part; datasetViewSql applies "newest part / last row
 * wins per ID" (Items, Users, Actions) or "exact duplicates once" (interactions) when reading.
 *
 * Resources: each call opens its own in-memory DuckDB instance with memory_limit (default 1GB),
 * threads (default 2) and temp_directory = engine.workDir, and closes it before returning.
 * Temporary files (canonical copies, the part before its rename) go to engine.workDir.
 */
export { readHeader, checkHeader, checkSameHeaders, MAX_HEADER_BYTES } from './header.ts';
export { validateToParquet, type ValidateInput } from './validate.ts';
export {
  datasetViewSql,
  countNewRecords,
  eventTypesAfterImport,
  attributionSourcesAfterImport,
  newRecordCount,
  shouldCompact,
  compactParts,
  COMPACT_AFTER_PARTS,
} from '../generations/dataset-view.ts';
export { exportToCsv } from './csv-export.ts';
export { IngestError, type CsvSource, type EngineOptions, type RowError, type ValidateResult } from './types.ts';
