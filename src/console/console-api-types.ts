// The JSON shapes of /console/api/*. Types only (no Node, no DOM), so the server
// (src/console/) and the browser code (console/src/) compile against the same contract.

export interface WhoAmI {
  /** 'open': no credentials configured; 'credentials': signed in with an access key pair. */
  mode: 'open' | 'credentials';
  account: string;
  region: string;
  accessKeyId?: string;
}

export interface GroupSummary {
  arn: string;
  name: string;
  status: string | null;
  domain?: string;
  createdAt: number;
  updatedAt: number;
  datasets: number;
}

export interface JobSummary {
  arn: string;
  name: string;
  kind: 'import' | 'export' | 'deletion';
  status: string | null;
  createdAt: number;
  updatedAt: number;
  failureReason?: string;
  /** Import jobs: what the job has read so far (phase, rows, bytes of totalBytes). */
  progress?: { phase: string; rows?: number; bytes?: number; totalBytes?: number };
  /** Import and deletion: the data location; export: the output path. */
  location?: string;
  mode?: string;
  /** Data deletion jobs, once COMPLETED: the number of users deleted. */
  numDeleted?: number;
}

export interface DatasetSummary {
  arn: string;
  name: string;
  datasetType: string;
  status: string | null;
  schemaArn: string;
  createdAt: number;
  updatedAt: number;
  latestImport?: JobSummary;
}

export interface SchemaFieldView {
  name: string;
  type: string;
  nullable: boolean;
  categorical: boolean;
  textual: boolean;
}

export interface DatasetDetail extends DatasetSummary {
  groupArn: string | null;
  groupName: string;
  schemaName: string;
  schemaFields: SchemaFieldView[];
  /** The Avro schema as it was created. */
  schemaJson: string;
  /** Number of Parquet parts of the current bulk generation. */
  bulkParts: number;
  /** Changes whenever the dataset's bulk data changes (a new generation of parts): a reason to redraw. */
  dataVersion: string;
  /** Individual records (PutEvents, PutItems, PutUsers, ...) stored now; cheap, read on every poll. */
  individualRecords: number;
  imports: JobSummary[];
  exports: JobSummary[];
}

/** /console/api/datasets: a dataset group, its datasets and its data deletion jobs (a group's, not a dataset's). */
export interface GroupDetail {
  group: { arn: string; name: string; status: string | null };
  datasets: DatasetSummary[];
  deletions: JobSummary[];
}

/**
 * What a dataset's plots and page of rows are computed over: 'bulk' = the imported parts only;
 * 'bulk+individual' = the dataset as an ALL export reads it (individual records merged in);
 * individual records are left out (and the data says 'bulk') past MAX_INDIVIDUAL_IN_VIEW.
 */
export type DataCoverage = 'bulk' | 'bulk+individual';

export interface CountBar {
  label: string;
  count: number;
}

export interface DatasetInsights {
  /** Current bulk rows (after the dataset's replace / de-duplicate rules). */
  bulkRows: number;
  /** Individual records (PutEvents / PutItems / PutUsers / ...) stored for the dataset. */
  individualRows: number;
  /** What the rows count, the plots and the rows page cover. */
  covers: DataCoverage;
  /** Rows of the data the plots cover (bulk + individual, newest version of an ID, exact duplicates once). */
  rows: number;
  /** Present for Interactions and Action interactions datasets. */
  interactions?: {
    users: number;
    items: number;
    /** 'day' (YYYY-MM-DD) or, for long spans, 'month' (YYYY-MM), UTC. */
    granularity: 'day' | 'month';
    perPeriod: CountBar[];
    /** null when the schema has no EVENT_TYPE column. */
    eventTypes: CountBar[] | null;
    /** Most frequent items (or actions), most first. */
    topItems: CountBar[];
    /** Users by their number of interactions, in power-of-two bins: "1", "2-3", "4-7", ... */
    perUserHistogram: CountBar[];
    maxPerUser: number;
    medianPerUser: number;
  };
}

export interface RowsPage {
  columns: string[];
  rows: (string | number | boolean | null)[][];
  offset: number;
  limit: number;
  total: number;
  covers: DataCoverage;
}

/** One problem of a failed import, parsed from its failureReason, with the source line if readable. */
export interface FailureLine {
  file: string;
  /** Physical line, header = 1; 0 when the problem concerns the whole file. */
  line: number;
  column: string | null;
  rule: string;
  /** The line as it is in the file (cut when very long), when the file could be read. */
  text?: string;
  /** Cells of `text` split on commas outside quotes, and which one is `column`. */
  cells?: string[];
  cellIndex?: number;
}

export interface ImportJobDetail extends JobSummary {
  datasetArn: string | null;
  problems: FailureLine[];
  /** The header line of the first file named by a problem, for context. */
  header?: string;
}

export interface ApiError {
  error: string;
  message: string;
}
