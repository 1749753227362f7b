// The parsed form of a Personalize Avro schema: what the import engine, the record APIs and the
// dataset rules work from. Produced only by avro-schema-rules.ts (parseSchema).

export const DATASET_TYPES = ['INTERACTIONS', 'ITEMS', 'USERS', 'ACTIONS', 'ACTION_INTERACTIONS'] as const;
export type DatasetType = (typeof DATASET_TYPES)[number];

export type Domain = 'ECOMMERCE' | 'VIDEO_ON_DEMAND';

export type FieldType = 'string' | 'int' | 'long' | 'float' | 'double' | 'boolean';

export interface SchemaField {
  name: string;
  type: FieldType;
  /** The Avro type is a union containing "null". */
  nullable: boolean;
  categorical: boolean;
  textual: boolean;
  /** `"itemName": true`: the item's title (Items only; Semantic-Similarity needs one). */
  itemName?: boolean;
}

export interface ParsedSchema {
  /** The Avro record name as written, e.g. "Interactions", "ActionInteractions". */
  recordName: string;
  datasetType: DatasetType;
  fields: SchemaField[];
}
