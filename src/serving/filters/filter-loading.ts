// A stored filter (resources/filters/filter-record.ts) compiled against its dataset group's
// schemas as they are now, for serving to apply. CreateFilter checked the expression against the
// same schemas, and the datasets cannot be deleted while the group has filters (a schema
// replacement only adds fields), so compiling a stored filter does not fail; the caller checks
// the filter's status and caches the result (a filter never changes once created).
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { DATASET_KIND, type DatasetBody } from '../../resources/datasets/dataset-record.ts';
import type { FilterBody } from '../../resources/filters/filter-record.ts';
import { parsedSchemaOf } from '../../resources/schemas/schema-record.ts';
import type { GroupSchemas } from './filter-check.ts';
import { compileFilter, type CompiledFilter } from './filter-evaluator.ts';

/** The schemas of a dataset group's datasets, by dataset type. */
export async function groupSchemasOf(
  ops: Pick<CatalogOps, 'get' | 'list'>,
  group: { account: string; region: string; arn: string },
): Promise<GroupSchemas> {
  const datasets = await ops.list({ account: group.account, region: group.region, kind: DATASET_KIND.kind, parentArn: group.arn });
  const out: GroupSchemas = {};
  for (const dataset of datasets) {
    const body = dataset.body as unknown as DatasetBody;
    const schema = await ops.get(body.schemaArn);
    if (schema) out[body.datasetType] = parsedSchemaOf(schema);
  }
  return out;
}

/** The stored filter, ready to prepare per request. */
export async function compileStoredFilter(ops: Pick<CatalogOps, 'get' | 'list'>, filter: ResourceRecord): Promise<CompiledFilter> {
  const body = filter.body as unknown as FilterBody;
  const schemas = await groupSchemasOf(ops, { account: filter.account, region: filter.region, arn: filter.parentArn! });
  try {
    return compileFilter(body.filterExpression, schemas);
  } catch (e) {
    throw new Error(
      `Internal error: the stored filter ${filter.arn} no longer compiles against its group's schemas: ${(e as Error).message}`,
    );
  }
}

/**
 * Compiled filters (a filter never changes once created; a deleted and re-created one is a new
 * entry), the least recently used dropped beyond `max`. Compiling reads the
 * group's datasets and schemas from the catalog, so a request with a cached filter reads none.
 */
export class CompiledFilterCache {
  private readonly entries = new Map<string, Promise<CompiledFilter>>();
  constructor(private readonly max = 1000) {}

  get(ops: Pick<CatalogOps, 'get' | 'list'>, filter: ResourceRecord): Promise<CompiledFilter> {
    // What the compiled form depends on: a filter re-created under its name (even within the same
    // millisecond) with another expression or in another group is another entry.
    const key = JSON.stringify([filter.arn, filter.createdAt, filter.parentArn, (filter.body as unknown as FilterBody).filterExpression]);
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
    } else {
      const compiling = compileStoredFilter(ops, filter);
      // A failed compile is not kept: the next request tries again.
      compiling.catch(() => {
        if (this.entries.get(key) === compiling) this.entries.delete(key);
      });
      entry = compiling;
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
