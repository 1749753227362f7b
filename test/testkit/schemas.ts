// The Avro schemas the API tests create. Two sets with the same keys (one per dataset type):
//  - minimalSchemas: the required fields and at most one categorical string; the CSV files the
//    import, export and deletion tests write have exactly these columns (rows.ts).
//  - typedFieldSchemas: the required fields plus optional metadata of every scalar type (float,
//    int, double, nullable string), what the personalize-events tests check values against.
// They differ in fields (and actionInteractions in field order), so a test picks by what its data has.

/** An Avro record schema of Personalize's namespace with these fields. */
export const schema = (name: string, fields: unknown[]) =>
  JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields });

export const minimalSchemas = {
  interactions: schema('Interactions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ]),
  items: schema('Items', [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
  ]),
  /** items with a nullable PRICE added: a valid UpdateDataset replacement of items. */
  itemsPlusPrice: schema('Items', [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'PRICE', type: ['null', 'float'] },
  ]),
  actions: schema('Actions', [
    { name: 'ACTION_ID', type: 'string' },
    { name: 'CATEGORY', type: ['null', 'string'], categorical: true },
  ]),
  actionInteractions: schema('ActionInteractions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ACTION_ID', type: 'string' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
  ]),
  users: schema('Users', [
    { name: 'USER_ID', type: 'string' },
    { name: 'AGE', type: 'int' },
  ]),
};

export const typedFieldSchemas = {
  items: schema('Items', [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: ['null', 'string'], categorical: true },
    { name: 'PRICE', type: ['null', 'float'] },
    { name: 'RELEASE_YEAR', type: ['null', 'int'] },
  ]),
  users: schema('Users', [
    { name: 'USER_ID', type: 'string' },
    { name: 'AGE', type: 'int' },
  ]),
  actions: schema('Actions', [
    { name: 'ACTION_ID', type: 'string' },
    { name: 'COST', type: ['null', 'double'] },
  ]),
  actionInteractions: schema('ActionInteractions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ACTION_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
  ]),
  interactions: schema('Interactions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: ['null', 'float'] },
    { name: 'DEVICE', type: ['null', 'string'] },
  ]),
};
