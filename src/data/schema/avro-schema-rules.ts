// Parses and checks a Personalize dataset schema (an Avro record written as JSON): rules.md §3,
// §13 and §2 rule 11. The per-type / per-domain tables of required and reserved fields live in
// reserved-fields.ts; this file interprets them.
//
// Decisions where AWS is undocumented [INF]:
// - Record name: matched to a dataset type like CreateDataset's datasetType, i.e. case-insensitively,
//   and Action interactions may be written with or without the underscore ("ActionInteractions",
//   "Action_Interactions", "ACTIONINTERACTIONS"). An Avro full name ("com.example.Items") is matched
//   by its last segment. Any other name is refused, because the dataset type cannot be known.
// - Field names are case-sensitive ("Genre" and "GENRE" may coexist), but two names equal once
//   underscores are removed clash [DOC]. Reserved keywords are recognised only in upper case as AWS
//   writes them; "user_id" is ordinary metadata (the missing-field message points at it).
// - A field whose name is reserved for another dataset type, or for a domain group when the schema
//   is for a custom group (PRICE, GENRES, EVENT_VALUE in Users, ...), is ordinary metadata.
// - Reserved fields listed as "<type>, null" may be declared with or without the null union; every
//   other reserved or required field must not be nullable (USER_ID, TIMESTAMP, EVENT_TYPE, ...).
// - Reserved fields must carry the attribute in their spec and no other: CATEGORY_L1 must be
//   categorical, PRODUCT_DESCRIPTION textual, and USER_ID/EVENT_TYPE neither.
// - "categorical" / "textual" must be JSON booleans when present; a field cannot be both.
// - "itemName" (training-rules rule 11: the item's title, which Semantic-Similarity requires) is a
//   JSON boolean like them, on a string field of an Items schema, on at most one field (with or
//   without "categorical" / "textual": AWS's pages say nothing against either).
// - A type may be written in Avro's object form ({"type": "string"}); extra keys such as
//   logicalType are ignored. Avro rules on unions hold: no empty union, no union inside a union,
//   "null" at most once. A union of "null" alone is refused (the field could never hold a value).
// - "At least one metadata field" counts only fields Personalize trains on, as the AWS tables say:
//   a categorical string, a numerical field (int, long, float, double) or, in Items, a textual
//   string. A plain string or boolean field alone does not satisfy it.
// - Metadata limits count every field that is neither required nor a reserved keyword (domain
//   attributes such as PRICE or SUBSCRIPTION_MODEL do count, see reserved-fields.ts).
// - Schema replacement matches fields by name; field order may change.

import { describeRule, rulesFor, type DatasetRules } from './reserved-fields.ts';
import { DATASET_TYPES, type DatasetType, type Domain, type FieldType, type ParsedSchema, type SchemaField } from './schema-model.ts';

export class SchemaRuleError extends Error {
  override name = 'SchemaRuleError';
}

const RECORD_NAMES: Record<DatasetType, string> = {
  INTERACTIONS: 'Interactions',
  ITEMS: 'Items',
  USERS: 'Users',
  ACTIONS: 'Actions',
  ACTION_INTERACTIONS: 'ActionInteractions',
};

const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>(['string', 'int', 'long', 'float', 'double', 'boolean']);
const NUMERIC_TYPES: ReadonlySet<FieldType> = new Set<FieldType>(['int', 'long', 'float', 'double']);
const COMPLEX_TYPES: ReadonlySet<string> = new Set(['record', 'array', 'map', 'enum', 'fixed', 'error']);
const AVRO_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ALLOWED_TYPES_TEXT = 'string, int, long, float, double or boolean, optionally in a union with "null"';

/** The record name AWS uses for a dataset type: INTERACTIONS -> 'Interactions', ... */
export function recordNameFor(type: DatasetType): string {
  return RECORD_NAMES[type];
}

/** Dataset type from a datasetType input or a record name, case-insensitively; undefined if unknown. */
export function datasetTypeFromName(name: string): DatasetType | undefined {
  const upper = name.toUpperCase();
  if (upper === 'ACTIONINTERACTIONS') return 'ACTION_INTERACTIONS';
  return (DATASET_TYPES as readonly string[]).includes(upper) ? (upper as DatasetType) : undefined;
}

/** "an ECOMMERCE dataset group", "a VIDEO_ON_DEMAND dataset group". */
function inDomain(domain: Domain | undefined): string {
  return `${domain === 'ECOMMERCE' ? 'an' : 'a'} ${domain} dataset group`;
}

function fail(message: string): never {
  throw new SchemaRuleError(`Invalid schema: ${message}`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One branch of a field type: a primitive name or Avro's object form of it. */
function primitiveOf(field: string, raw: unknown): FieldType | 'null' {
  if (isObject(raw)) {
    if (typeof raw.type !== 'string') fail(`field "${field}" has an invalid type declaration ${JSON.stringify(raw)}.`);
    return primitiveOf(field, raw.type);
  }
  if (typeof raw !== 'string') {
    fail(`field "${field}" has an invalid type ${JSON.stringify(raw)}; allowed types are ${ALLOWED_TYPES_TEXT}.`);
  }
  if (raw === 'null' || FIELD_TYPES.has(raw)) return raw as FieldType | 'null';
  if (COMPLEX_TYPES.has(raw)) {
    fail(`field "${field}" has the complex type ${raw}; schemas must be flat, with types ${ALLOWED_TYPES_TEXT}.`);
  }
  if (raw === 'bytes')
    fail(`field "${field}" has the type bytes, which Personalize does not support; allowed types are ${ALLOWED_TYPES_TEXT}.`);
  return fail(`field "${field}" has the unknown type "${raw}"; allowed types are ${ALLOWED_TYPES_TEXT}.`);
}

function resolveType(field: string, raw: unknown): { type: FieldType; nullable: boolean } {
  if (raw === undefined) fail(`field "${field}" has no type.`);
  if (!Array.isArray(raw)) {
    const t = primitiveOf(field, raw);
    if (t === 'null') fail(`field "${field}" has the type null alone; it needs a value type such as string.`);
    return { type: t, nullable: false };
  }
  if (raw.length === 0) fail(`field "${field}" has an empty union type.`);
  let nulls = 0;
  const valueTypes: FieldType[] = [];
  for (const member of raw) {
    if (Array.isArray(member)) fail(`field "${field}" has a union nested in a union, which Avro does not allow.`);
    const t = primitiveOf(field, member);
    if (t === 'null') nulls++;
    else valueTypes.push(t);
  }
  if (nulls > 1) fail(`field "${field}" lists "null" more than once in its union.`);
  if (valueTypes.length === 0) fail(`field "${field}" has the type null alone; it needs a value type such as string.`);
  if (valueTypes.length > 1) {
    fail(
      `field "${field}" has a union of several non-null types ${JSON.stringify(raw)}; ` +
        'a field has one type, optionally in a union with "null".',
    );
  }
  return { type: valueTypes[0], nullable: nulls === 1 };
}

function booleanAttribute(field: string, def: Record<string, unknown>, key: 'categorical' | 'textual' | 'itemName'): boolean {
  const v = def[key];
  if (v === undefined) return false;
  if (typeof v !== 'boolean') fail(`field "${field}" has "${key}": ${JSON.stringify(v)}; the attribute must be true or false.`);
  return v;
}

function parseField(def: unknown, index: number): SchemaField {
  if (!isObject(def)) fail(`fields[${index}] must be an object with a name and a type.`);
  const name = def.name;
  if (typeof name !== 'string') fail(`fields[${index}] has no name (a string is required).`);
  if (!AVRO_NAME.test(name)) {
    fail(`field name "${name}" is not valid; names start with a letter or underscore and contain only letters, digits and underscores.`);
  }
  const { type, nullable } = resolveType(name, def.type);
  const categorical = booleanAttribute(name, def, 'categorical');
  const textual = booleanAttribute(name, def, 'textual');
  if (categorical && textual) fail(`field "${name}" cannot be both categorical and textual.`);
  if (categorical && type !== 'string')
    fail(`field "${name}" cannot be categorical; only string fields can be categorical, but it is ${type}.`);
  if (textual && type !== 'string') fail(`field "${name}" cannot be textual; only string fields can be textual, but it is ${type}.`);
  const itemName = booleanAttribute(name, def, 'itemName');
  if (itemName && type !== 'string')
    fail(`field "${name}" cannot be the itemName; only a string field can hold item names, but it is ${type}.`);
  return { name, type, nullable, categorical, textual, ...(itemName ? { itemName } : {}) };
}

function checkNames(fields: readonly SchemaField[]): void {
  const exact = new Set<string>();
  const squashed = new Map<string, string>();
  for (const { name } of fields) {
    if (exact.has(name)) fail(`field name "${name}" is used more than once.`);
    exact.add(name);
    const key = name.replaceAll('_', '');
    const other = squashed.get(key);
    if (other !== undefined) fail(`fields "${other}" and "${name}" have the same name when underscores are ignored.`);
    squashed.set(key, name);
  }
}

/** Trains-on metadata, for the at-least-one rule. */
function isUsefulMetadata(f: SchemaField, type: DatasetType): boolean {
  return NUMERIC_TYPES.has(f.type) || f.categorical || (f.textual && type === 'ITEMS');
}

function checkAgainstTable(fields: readonly SchemaField[], rules: DatasetRules, label: string, type: DatasetType): void {
  for (const f of fields) {
    const rule = rules.fields.get(f.name);
    if (!rule) continue;
    if (!rule.types.includes(f.type)) fail(`field "${f.name}" must be of type ${rule.types.join(' or ')}, but is ${f.type}.`);
    if (f.nullable && !rule.nullable) fail(`field "${f.name}" must not be nullable; remove "null" from its type.`);
    if (rule.categorical && !f.categorical) fail(`field "${f.name}" must be categorical ("categorical": true).`);
    if (!rule.categorical && f.categorical) fail(`field "${f.name}" must not be categorical.`);
    if (rule.textual && !f.textual) fail(`field "${f.name}" must be textual ("textual": true).`);
    if (!rule.textual && f.textual) fail(`field "${f.name}" must not be textual.`);
  }
  for (const rule of rules.fields.values()) {
    if (!rule.required || fields.some((f) => f.name === rule.name)) continue;
    const squash = (s: string) => s.replaceAll('_', '').toUpperCase();
    const lookalike = fields.find((f) => squash(f.name) === squash(rule.name));
    const hint = lookalike ? ` The field "${lookalike.name}" does not count: reserved names must be written exactly as ${rule.name}.` : '';
    fail(`${label} require the field ${rule.name} (${describeRule(rule)}).${hint}`);
  }
  const metadata = fields.filter((f) => rules.fields.get(f.name)?.metadata ?? true);
  if (rules.minMetadata > 0 && !metadata.some((f) => isUsefulMetadata(f, type))) {
    const kinds = type === 'ITEMS' ? 'a categorical or textual string, or a numerical field' : 'a categorical string or a numerical field';
    fail(`${label} require at least one metadata field (${kinds}) besides the required and reserved fields.`);
  }
  if (metadata.length > rules.maxMetadata) {
    fail(
      `${label} can have at most ${rules.maxMetadata} metadata fields (required fields and reserved keywords excluded), ` +
        `but this one has ${metadata.length}.`,
    );
  }
}

/** Parses a schema JSON string and checks every rule that does not depend on a dataset group other
 * than its domain (rules.md §3). Throws SchemaRuleError with a user-facing message. */
export function parseSchema(schemaJson: string, domain?: Domain): ParsedSchema {
  if (domain !== undefined && domain !== 'ECOMMERCE' && domain !== 'VIDEO_ON_DEMAND') {
    fail(`unknown domain "${String(domain)}"; expected ECOMMERCE or VIDEO_ON_DEMAND.`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(schemaJson);
  } catch (e) {
    fail(`the schema is not valid JSON (${(e as Error).message}).`);
  }
  if (!isObject(doc)) fail('the schema must be a JSON object describing an Avro record.');
  if (doc.type !== 'record') fail(`the schema must be an Avro record ("type": "record"), but its type is ${JSON.stringify(doc.type)}.`);
  const recordName = doc.name;
  if (typeof recordName !== 'string' || recordName === '') fail('the record has no name; use the dataset type, e.g. "Interactions".');
  const datasetType = datasetTypeFromName(recordName.slice(recordName.lastIndexOf('.') + 1));
  if (!datasetType) {
    fail(
      `the record name "${recordName}" is not a dataset type; ` +
        `use one of ${Object.values(RECORD_NAMES)
          .map((n) => `"${n}"`)
          .join(', ')}.`,
    );
  }
  if (doc.namespace !== undefined && typeof doc.namespace !== 'string') fail('the record namespace must be a string.');
  if (!Array.isArray(doc.fields)) fail('the record must have a "fields" array.');

  const fields = doc.fields.map(parseField);
  checkNames(fields);
  const label = `${RECORD_NAMES[datasetType]} schemas` + (domain ? ` in ${inDomain(domain)}` : '');
  const textual = fields.filter((f) => f.textual);
  if (textual.length > 0 && datasetType !== 'ITEMS') {
    fail(`field "${textual[0].name}" cannot be textual; textual fields are only allowed in Items schemas.`);
  }
  if (textual.length > 1) {
    fail(`Items schemas can have at most 1 textual field, but "${textual[0].name}" and "${textual[1].name}" are both textual.`);
  }
  const named = fields.filter((f) => f.itemName);
  if (named.length > 0 && datasetType !== 'ITEMS') {
    fail(`field "${named[0].name}" cannot be the itemName; item names are only allowed in Items schemas.`);
  }
  if (named.length > 1) {
    fail(`Items schemas can have at most 1 itemName field, but "${named[0].name}" and "${named[1].name}" both have "itemName": true.`);
  }
  const rules = rulesFor(datasetType, domain);
  if (!rules) fail(`${RECORD_NAMES[datasetType]} datasets cannot be created in ${inDomain(domain)}; only custom dataset groups have them.`);
  checkAgainstTable(fields, rules, label, datasetType);
  return { recordName, datasetType, fields };
}

function refuse(message: string): never {
  throw new SchemaRuleError(`Invalid schema update: ${message}`);
}

function describeField(f: SchemaField): string {
  return (f.categorical ? 'categorical ' : f.textual ? 'textual ' : '') + f.type + (f.nullable ? ' or null' : '');
}

/** rules.md §3.3: which new schema may replace the current one of a dataset (UpdateDataset). */
export function checkSchemaReplacement(current: ParsedSchema, next: ParsedSchema): void {
  const kind = RECORD_NAMES[current.datasetType];
  if (current.datasetType !== 'ITEMS' && current.datasetType !== 'USERS') {
    refuse(`only Items and Users datasets can get a new schema; this dataset is of type ${kind}.`);
  }
  if (next.datasetType !== current.datasetType) {
    refuse(`the new schema is for ${RECORD_NAMES[next.datasetType]} datasets, but this dataset is of type ${kind}.`);
  }
  const nextByName = new Map(next.fields.map((f) => [f.name, f]));
  for (const old of current.fields) {
    const now = nextByName.get(old.name);
    if (!now) refuse(`field "${old.name}" is missing from the new schema; existing fields cannot be removed.`);
    const changes: string[] = [];
    if (now.type !== old.type) changes.push(`changes its type from ${old.type} to ${now.type}`);
    if (now.nullable !== old.nullable) changes.push(`makes it ${old.nullable ? 'non-nullable' : 'nullable'}`);
    if (now.categorical !== old.categorical) changes.push(`makes it ${old.categorical ? 'non-categorical' : 'categorical'}`);
    if (now.textual !== old.textual) changes.push(`makes it ${old.textual ? 'non-textual' : 'textual'}`);
    if (changes.length > 0) {
      refuse(`field "${old.name}" must stay ${describeField(old)}, but the new schema ${changes.join(' and ')}.`);
    }
  }
  const currentNames = new Set(current.fields.map((f) => f.name));
  for (const added of next.fields) {
    if (!currentNames.has(added.name) && !added.nullable) {
      refuse(`the added field "${added.name}" must be nullable (a union with "null"), because existing records have no value for it.`);
    }
  }
}
