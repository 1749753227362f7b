// What the data plane's job work (import, export, data deletion) is built from.
import type { Catalog } from '../../catalog/catalog.ts';
import type { Config } from '../../config/config.ts';
import type { ObjectStore } from '../../object-store/object-store.ts';
import type { PartStore } from '../generations/part-store.ts';
import type { DatasetReader } from '../reader.ts';
import type { RecordStore } from '../records/record-store.ts';

export interface WorkerDeps {
  catalog: Catalog;
  config: Config;
  /** Where s3:// data locations are read and outputs written. */
  objects: ObjectStore;
  /** Where datasets' bulk data (Parquet parts) is kept. */
  parts: PartStore;
  /** The dataset as it is now (bulk parts and individual records). */
  reader: DatasetReader;
  /** Individually put records (personalize-events). */
  records: RecordStore;
  now: () => number;
  log: (fields: Record<string, unknown>) => void;
  /** Told of each committed import (metrics: rows, rows/s). */
  observe?: { importCommitted(rows: number, seconds: number): void };
}
