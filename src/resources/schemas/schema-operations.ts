// CreateSchema, DescribeSchema, ListSchemas, DeleteSchema.
import type {
  CreateSchemaRequest,
  CreateSchemaResponse,
  DatasetSchema,
  DeleteSchemaRequest,
  DescribeSchemaRequest,
  DescribeSchemaResponse,
  ListSchemasRequest,
  ListSchemasResponse,
} from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { inUse, invalidInput, limitExceeded } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { parseSchema, SchemaRuleError } from '../../data/schema/avro-schema-rules.ts';
import type { Domain } from '../../data/schema/schema-model.ts';
import { DATASET_KIND, usesSchema, type DatasetBody } from '../datasets/dataset-record.ts';
import { SCHEMA_KIND, schemaLockKey, schemaQuotaLock, type SchemaBody } from './schema-record.ts';

function describe(record: ResourceRecord): DatasetSchema {
  const body = record.body as unknown as SchemaBody;
  return {
    name: record.name,
    schemaArn: record.arn,
    schema: body.schema,
    domain: body.domain,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

async function datasetsUsing(ops: CatalogOps, record: ResourceRecord): Promise<ResourceRecord[]> {
  const datasets = await ops.list({ account: record.account, region: record.region, kind: DATASET_KIND.kind });
  return datasets.filter((d) => usesSchema(d.body as unknown as DatasetBody, record.arn));
}

export function schemaOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateSchema' | 'DescribeSchema' | 'ListSchemas' | 'DeleteSchema'> {
  return {
    async CreateSchema(input: CreateSchemaRequest, ctx): Promise<CreateSchemaResponse> {
      try {
        parseSchema(input.schema!, input.domain as Domain | undefined);
      } catch (e) {
        if (e instanceof SchemaRuleError) throw invalidInput(e.message);
        throw e;
      }
      const arn = makeArn(SCHEMA_KIND.kind, ctx.region, ctx.account, input.name!);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        await tx.lock(schemaQuotaLock(ctx.account, ctx.region));
        const count = await tx.count({ account: ctx.account, region: ctx.region, kind: SCHEMA_KIND.kind });
        if (count >= deps.quotas.schemas) {
          throw limitExceeded(
            `Cannot create a schema. More than ${deps.quotas.schemas} resources in ACTIVE state. Please delete some and try again.`,
          );
        }
        const body: SchemaBody = { schema: input.schema!, domain: input.domain as Domain | undefined };
        await insertResource(tx, SCHEMA_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name!,
          parentArn: null,
          createdAt: now,
          updatedAt: now,
          body: { ...body },
        });
      });
      return { schemaArn: arn };
    },

    async DescribeSchema(input: DescribeSchemaRequest, ctx): Promise<DescribeSchemaResponse> {
      return { schema: describe(await loadResource(deps, deps.catalog, ctx, SCHEMA_KIND, input.schemaArn!)) };
    },

    async ListSchemas(input: ListSchemasRequest, ctx): Promise<ListSchemasResponse> {
      const page = await listPage(deps, ctx, 'ListSchemas', { kind: SCHEMA_KIND.kind }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { schemas: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteSchema(input: DeleteSchemaRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        await tx.lock(schemaLockKey(input.schemaArn!));
        const record = await loadResource(deps, tx, ctx, SCHEMA_KIND, input.schemaArn!);
        const users = await datasetsUsing(tx, record);
        if (users.length > 0) {
          throw inUse(
            `Cannot delete schema ${record.arn}: it is used by the dataset ${users.map((d) => d.arn).join(', ')}. Delete the dataset first.`,
          );
        }
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
