// What every resource family's operations are built from.
import type { Catalog } from '../../catalog/catalog.ts';
import type { Config } from '../../config/config.ts';
import type { PageTokens } from '../../protocol/pagination-token.ts';
import type { Quotas } from './quotas.ts';
import type { ObjectStore } from '../../object-store/object-store.ts';
import type { PartStore } from '../../data/generations/part-store.ts';
import type { ModelStore } from '../../training/model-store.ts';

export interface ServiceDeps {
  catalog: Catalog;
  config: Config;
  tokens: PageTokens;
  quotas: Quotas;
  /** Epoch ms; injectable so lifecycle tests need not sleep. */
  now: () => number;
  /** Where s3:// data locations are read and export outputs written. */
  objects: ObjectStore;
  /** Where datasets' bulk data (Parquet parts) is kept. */
  parts: PartStore;
  /** Where trained models' artifacts are kept (DeleteSolution removes its versions'). */
  models: ModelStore;
  /** Tells this process's job runner (if any) that work was queued, so it starts at once. */
  jobQueued: () => void;
}
