// "The dataset as it is now": its schema, its current generation of bulk Parquet parts (as local
// files DuckDB reads, with when each part's import committed) and its individually put records.
// Exports, the console, and later training, filters and batch inference all read a dataset through
// here, so they agree on what the dataset holds (rules.md rule 81 for how records and bulk rows
// merge: see records/record-parts.ts).
//
// The data plane owns the two fields of the stored dataset document it reads (`schemaArn`, `bulk`)
// and of the schema document (`schema`, `domain`); the control plane's documents extend them.
import type { CatalogOps } from '../catalog/catalog.ts';
import type { EngineOptions } from './engine/types.ts';
import type { DatasetBulk, PartStore } from './generations/part-store.ts';
import { exportSources, type BulkPart } from './records/record-parts.ts';
import type { RecordStore } from './records/record-store.ts';
import { parseSchema } from './schema/avro-schema-rules.ts';
import type { Domain, ParsedSchema } from './schema/schema-model.ts';

/** What the data plane reads of a stored dataset document. */
export interface DatasetDataFields {
  schemaArn: string;
  /** The bulk-imported data: the current generation of Parquet parts. Absent before the first import. */
  bulk?: DatasetBulk;
}

/** What the data plane reads of a stored schema document. */
export interface SchemaDataFields {
  schema: string;
  domain?: Domain;
}

/** Which rows a read covers (an export's ingestionMode): bulk data, individual records, or both merged. */
export type ReadMode = 'BULK' | 'PUT' | 'ALL';

/** One dataset at the moment it was opened. Parts are immutable, so the snapshot stays valid while read. */
export interface DatasetSnapshot {
  datasetArn: string;
  schema: ParsedSchema;
  /** Local paths of the current bulk parts, oldest first, with when each one's import committed. */
  bulk: BulkPart[];
  /** Individual records stored for the dataset (0 without a record store). */
  individual: number;
}

export type ReadProblem = 'no-dataset' | 'no-schema';

export class DatasetReader {
  constructor(
    private readonly catalog: Pick<CatalogOps, 'get'>,
    private readonly parts: PartStore,
    private readonly records?: RecordStore,
  ) {}

  /** The dataset now, or why it cannot be read (it or its schema was deleted). `mode` limits which bulk parts are fetched. */
  async open(datasetArn: string, mode: ReadMode = 'ALL'): Promise<DatasetSnapshot | ReadProblem> {
    const dataset = await this.catalog.get(datasetArn);
    if (!dataset) return 'no-dataset';
    const fields = dataset.body as unknown as DatasetDataFields;
    const schemaRecord = await this.catalog.get(fields.schemaArn);
    if (!schemaRecord) return 'no-schema';
    const stored = schemaRecord.body as unknown as SchemaDataFields;
    const refs = mode === 'PUT' ? [] : (fields.bulk?.parts ?? []);
    const [paths, committed, individual] = await Promise.all([
      this.parts.localPaths(refs.map((p) => p.key)),
      // When each part's import committed: an ALL read places records between parts by time.
      Promise.all(refs.map(async (p) => (await this.catalog.get(p.jobArn))?.updatedAt ?? 0)),
      mode === 'BULK' ? Promise.resolve(0) : (this.records?.count(datasetArn) ?? Promise.resolve(0)),
    ]);
    return {
      datasetArn,
      schema: parseSchema(stored.schema, stored.domain),
      bulk: paths.map((path, i) => ({ path, committedAt: committed[i] })),
      individual,
    };
  }

  /**
   * The Parquet files to read for `mode`, oldest first, for datasetViewSql (engine/index.ts):
   * bulk parts as they are, individual records written as parts into workDir.
   */
  sources(snapshot: DatasetSnapshot, mode: ReadMode, workDir: string, engine: EngineOptions): Promise<string[]> {
    return exportSources({
      mode,
      schema: snapshot.schema,
      bulk: snapshot.bulk,
      records: this.records,
      datasetArn: snapshot.datasetArn,
      workDir,
      engine,
    });
  }
}
