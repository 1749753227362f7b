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
} from '@aws-sdk/client-personalize';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import type { HandlerTable } from '../../protocol/handler-types.ts';
import { inUse, invalidInput, limitExceeded } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { parseSchema, SchemaRuleError } from '../../data/schema/avro-schema-rules.ts';
import type { Domain, ParsedSchema } from '../../data/schema/schema-model.ts';

export interface SchemaBody {
  schema: string;
  domain?: Domain;
}

/** The parsed schema of a stored schema resource (it was checked when it was created). */
export function parsedSchemaOf(record: ResourceRecord): ParsedSchema {
  const body = record.body as unknown as SchemaBody;
  return parseSchema(body.schema, body.domain);
}

/** Serialises schema deletion against datasets starting to use it. */
export const schemaLockKey = (schemaArn: string) => `schema-use:${schemaArn}`;

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
  const datasets = await ops.list({ account: record.account, region: record.region, kind: 'dataset' });
  return datasets.filter((d) => d.body.schemaArn === record.arn || (d.body.latestDatasetUpdate as { schemaArn?: string } | undefined)?.schemaArn === record.arn);
}

export function schemaOperations(deps: ServiceDeps): HandlerTable {
  return {
    async CreateSchema(input: CreateSchemaRequest, ctx): Promise<CreateSchemaResponse> {
      try {
        parseSchema(input.schema!, input.domain as Domain | undefined);
      } catch (e) {
        if (e instanceof SchemaRuleError) throw invalidInput(e.message);
        throw e;
      }
      const arn = makeArn('schema', ctx.region, ctx.account, input.name!);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        await tx.lock(`quota:schema:${ctx.account}:${ctx.region}`);
        const count = await tx.count({ account: ctx.account, region: ctx.region, kind: 'schema' });
        if (count >= deps.quotas.schemas) {
          throw limitExceeded(`Cannot create a schema. More than ${deps.quotas.schemas} resources in ACTIVE state. Please delete some and try again.`);
        }
        const body: SchemaBody = { schema: input.schema!, domain: input.domain as Domain | undefined };
        await insertResource(tx, {
          arn, account: ctx.account, region: ctx.region, kind: 'schema', name: input.name!,
          parentArn: null, status: 'ACTIVE', createdAt: now, updatedAt: now, body: { ...body },
        });
      });
      return { schemaArn: arn };
    },

    async DescribeSchema(input: DescribeSchemaRequest, ctx): Promise<DescribeSchemaResponse> {
      return { schema: describe(await loadResource(deps, deps.catalog, ctx, 'schema', input.schemaArn!)) };
    },

    async ListSchemas(input: ListSchemasRequest, ctx): Promise<ListSchemasResponse> {
      const page = await listPage(deps, ctx, 'ListSchemas', { kind: 'schema' }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { schemas: page.records.map(describe), nextToken: page.nextToken };
    },

    async DeleteSchema(input: DeleteSchemaRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        await tx.lock(schemaLockKey(input.schemaArn!));
        const record = await loadResource(deps, tx, ctx, 'schema', input.schemaArn!);
        const users = await datasetsUsing(tx, record);
        if (users.length > 0) {
          throw inUse(`Cannot delete schema ${record.arn}: it is used by the dataset ${users.map((d) => d.arn).join(', ')}. Delete the dataset first.`);
        }
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
