// A schema as the catalog stores it: its document, its kind and the lock on its use. Read by the
// dataset handlers and by job work (parsedSchemaOf), which must not depend on the handlers.
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { parseSchema } from '../../data/schema/avro-schema-rules.ts';
import type { Domain, ParsedSchema } from '../../data/schema/schema-model.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export interface SchemaBody {
  schema: string;
  domain?: Domain;
}

/** A schema is usable as soon as it exists; the API shows it no status (DatasetSchema has none). */
export const SCHEMA_STATUSES = defineStatuses({ kind: 'schema', initial: 'ACTIVE', transitions: { ACTIVE: [] } });

export const SCHEMA_KIND = defineKind({ kind: 'schema', label: 'schema', statuses: SCHEMA_STATUSES, taggable: false });

/** The parsed schema of a stored schema resource (it was checked when it was created). */
export function parsedSchemaOf(record: ResourceRecord): ParsedSchema {
  const body = record.body as unknown as SchemaBody;
  return parseSchema(body.schema, body.domain);
}

/** Serialises schema deletion against datasets starting to use it. */
export const schemaLockKey = (schemaArn: string) => `schema-use:${schemaArn}`;

/** Serialises the check of the schemas quota of an account and region with the insert. */
export const schemaQuotaLock = (account: string, region: string) => `quota:schema:${account}:${region}`;
