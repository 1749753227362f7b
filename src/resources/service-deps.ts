// What every resource family's operations are built from.
import type { Catalog } from '../catalog/catalog.ts';
import type { Config } from '../main/config.ts';
import type { PageTokens } from '../protocol/pagination-token.ts';
import type { Quotas } from './quotas.ts';

export interface ServiceDeps {
  catalog: Catalog;
  config: Config;
  tokens: PageTokens;
  quotas: Quotas;
  /** Epoch ms; injectable so lifecycle tests need not sleep. */
  now: () => number;
}
