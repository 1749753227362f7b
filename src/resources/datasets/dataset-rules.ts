// Domain checks for datasets (rules.md §2 rule 8 and 11, §3.3, §4): what CreateDataset and
// UpdateDataset refuse, apart from the model's constraints.
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { inUse, invalidInput } from '../../protocol/service-error.ts';
import { checkSchemaReplacement, datasetTypeFromName, SchemaRuleError } from '../../data/schema/avro-schema-rules.ts';
import type { DatasetType, ParsedSchema } from '../../data/schema/schema-model.ts';
import type { SchemaBody } from '../schemas/schema-record.ts';
import { DATASET_GROUP_STATUSES, type DatasetGroupBody } from '../dataset-groups/dataset-group-record.ts';
import { hasStatus } from '../shared/status-table.ts';
import { DATASET_STATUSES } from './dataset-record.ts';

/** The dataset type of the API input (case-insensitive), or InvalidInputException. */
export function datasetTypeOf(input: string): DatasetType {
  const type = datasetTypeFromName(input);
  if (!type) throw invalidInput(`Invalid datasetType '${input}': must be one of Interactions, Items, Users, Actions, Action_Interactions.`);
  return type;
}

export function checkGroupAcceptsDataset(group: ResourceRecord): void {
  if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE')) {
    throw inUse(`Dataset group ${group.arn} is in state ${group.status}; datasets can be added once it is ACTIVE.`);
  }
}

export function checkSchemaFitsDataset(type: DatasetType, schema: ParsedSchema, schemaRecord: ResourceRecord, group: ResourceRecord): void {
  if (schema.datasetType !== type) {
    throw invalidInput(
      `The schema ${schemaRecord.arn} describes ${schema.recordName} data (record name '${schema.recordName}'), which does not match the dataset type ${type}.`,
    );
  }
  const schemaDomain = (schemaRecord.body as unknown as SchemaBody).domain;
  const groupDomain = (group.body as DatasetGroupBody).domain;
  if (schemaDomain !== groupDomain) {
    throw invalidInput(
      `The schema's domain (${schemaDomain ?? 'none'}) must match the dataset group's domain (${groupDomain ?? 'none, a Custom dataset group'}).`,
    );
  }
}

export function checkSchemaUpdate(dataset: ResourceRecord, current: ParsedSchema, next: ParsedSchema): void {
  if (!hasStatus(DATASET_STATUSES, dataset, 'ACTIVE'))
    throw inUse(`Dataset ${dataset.arn} is in state ${dataset.status}; its schema can be replaced once it is ACTIVE.`);
  try {
    checkSchemaReplacement(current, next);
  } catch (e) {
    if (e instanceof SchemaRuleError) throw invalidInput(e.message);
    throw e;
  }
}
