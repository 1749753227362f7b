// Shared types of the import engine. Kept apart from the implementation so the job runner and the
// HTTP layer can import them without pulling DuckDB in.

/** One CSV input. `displayName` is what messages show (e.g. s3://bucket/key); `path` is a local,
 *  regular (re-readable) file: on failure the engine reads it a second time to locate bad lines. */
export interface CsvSource {
  displayName: string;
  path: string;
}

/** Resource bounds for one DuckDB instance (one instance is opened per call and closed after it). */
export interface EngineOptions {
  /** Scratch directory: DuckDB spill files and the engine's temporary files go here. Must exist. */
  workDir: string;
  /** DuckDB memory_limit, default '1GB'. */
  memoryLimit?: string;
  /** DuckDB worker threads, default 2. */
  threads?: number;
}

/** One invalid row (or header / file-level problem) as shown in a failure reason. */
export interface RowError {
  /** CsvSource.displayName of the file. */
  file: string;
  /** Physical line in the file, header = line 1. 0 when the problem concerns the whole file. */
  line: number;
  /** Schema / header column name, null when the problem is not tied to one column. */
  column: string | null;
  /** The offending value cut to ~40 characters, null for empty values or whole-line problems. */
  value: string | null;
  /** Machine-readable rule id, e.g. 'not_integer', 'required', 'id_too_long'. */
  code: string;
  /** Human-readable rule, e.g. "'abc' is not a whole number (long)". */
  rule: string;
}

export type ValidateResult =
  | { ok: true; rows: number; bytesRead: number; distinctEventTypes?: number }
  | { ok: false; failureReason: string; badRows: number; errors: RowError[] };

/** A problem that fails the job as a whole (header, empty file, ...). `message` is the failureReason. */
export class IngestError extends Error {
  override name = 'IngestError';
  constructor(
    message: string,
    readonly errors: RowError[] = [],
  ) {
    super(message);
  }
}
