import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkSchemaReplacement,
  datasetTypeFromName,
  parseSchema,
  recordNameFor,
  SchemaRuleError,
} from '../../../src/data/schema/avro-schema-rules.ts';
import type { Domain, ParsedSchema } from '../../../src/data/schema/schema-model.ts';

type FieldDef = Record<string, unknown>;
const NS = 'com.amazonaws.personalize.schema';
const record = (name: string, fields: FieldDef[]) => JSON.stringify({ type: 'record', name, namespace: NS, fields, version: '1.0' });
const f = (name: string, type: unknown, attrs: FieldDef = {}): FieldDef => ({ name, type, ...attrs });
const S = 'string';
const NSTR = ['null', 'string'];
const CAT = { categorical: true };
const TXT = { textual: true };
const UID = f('USER_ID', S);
const IID = f('ITEM_ID', S);
const AID = f('ACTION_ID', S);
const TS = f('TIMESTAMP', 'long');
/** n metadata fields named M0..M(n-1). */
const meta = (n: number, type: unknown = 'float') => Array.from({ length: n }, (_, i) => f(`M${i}`, type));
/** A Users schema with its required field and one metadata field, plus the given fields. */
const users = (...fields: FieldDef[]) => record('Users', [UID, f('AGE', 'int'), ...fields]);

/** Asserts that `run` throws a SchemaRuleError with the prefix and every word (case-sensitive). */
function throwsRule(run: () => unknown, prefix: string, words: string[]): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof SchemaRuleError, `expected SchemaRuleError, got ${String(e)}`);
    assert.ok(e.message.startsWith(prefix), e.message);
    for (const w of words) assert.ok(e.message.includes(w), `"${e.message}" lacks "${w}"`);
    return true;
  });
}
const rejects = (json: string, words: string[], domain?: Domain) => throwsRule(() => parseSchema(json, domain), 'Invalid schema: ', words);
const refused = (current: ParsedSchema, next: ParsedSchema, words: string[]) =>
  throwsRule(() => checkSchemaReplacement(current, next), 'Invalid schema update: ', words);

const INTERACTIONS_BASE = [UID, IID, TS];
const ACTION_INTERACTIONS_BASE = [UID, AID, f('EVENT_TYPE', S), TS];
const ITEMS_FIELDS = [IID, f('GENRES', NSTR, CAT), f('DESCRIPTION', NSTR, TXT), f('CREATION_TIMESTAMP', 'long')];
const USERS_FIELDS = [UID, f('AGE', ['null', 'int']), f('GENDER', NSTR, CAT)];
const AWS_INTERACTIONS = record('Interactions', [...INTERACTIONS_BASE, f('EVENT_TYPE', S), f('EVENT_VALUE', ['null', 'float'])]);
const AWS_ITEMS = record('Items', ITEMS_FIELDS);
const AWS_USERS = record('Users', USERS_FIELDS);
const AWS_ACTIONS = record('Actions', [
  AID,
  f('VALUE', ['null', 'long']),
  f('MEMBERSHIP_LEVEL', NSTR, CAT),
  f('CREATION_TIMESTAMP', 'long'),
  f('EXPIRATION_TIMESTAMP', ['null', 'long']),
  f('REPEAT_FREQUENCY', ['null', 'long']),
]);
const AWS_ACTION_INTERACTIONS = record('ActionInteractions', ACTION_INTERACTIONS_BASE);
const plain = { nullable: false, categorical: false, textual: false };

describe('parseSchema: valid schemas', () => {
  it('accepts the AWS Interactions example', () => {
    const s = parseSchema(AWS_INTERACTIONS);
    assert.deepEqual([s.datasetType, s.recordName], ['INTERACTIONS', 'Interactions']);
    assert.deepEqual(s.fields[0], { name: 'USER_ID', type: 'string', ...plain });
    assert.deepEqual(s.fields[4], { name: 'EVENT_VALUE', type: 'float', ...plain, nullable: true });
  });
  it('accepts the AWS Items example with categorical, textual and CREATION_TIMESTAMP', () => {
    const s = parseSchema(AWS_ITEMS);
    assert.equal(s.datasetType, 'ITEMS');
    const expected = [
      ['ITEM_ID', false, false],
      ['GENRES', true, false],
      ['DESCRIPTION', false, true],
      ['CREATION_TIMESTAMP', false, false],
    ];
    assert.deepEqual(
      s.fields.map((x) => [x.name, x.categorical, x.textual]),
      expected,
    );
  });
  it('accepts the AWS Users, Actions and Action interactions examples', () => {
    assert.equal(parseSchema(AWS_USERS).datasetType, 'USERS');
    assert.equal(parseSchema(AWS_ACTIONS).datasetType, 'ACTIONS');
    assert.equal(parseSchema(AWS_ACTION_INTERACTIONS).datasetType, 'ACTION_INTERACTIONS');
    const reserved = record('ActionInteractions', [...ACTION_INTERACTIONS_BASE, f('IMPRESSION', NSTR), f('RECOMMENDATION_ID', S)]);
    assert.equal(parseSchema(reserved).fields.length, 6);
  });
  it('accepts both orders of a nullable union', () => {
    const s = parseSchema(record('Users', [UID, f('A', ['null', 'long']), f('B', ['string', 'null'], CAT)]));
    assert.deepEqual(
      s.fields.slice(1).map((x) => [x.type, x.nullable]),
      [
        ['long', true],
        ['string', true],
      ],
    );
  });
  it('accepts a one-element union and treats it as not nullable', () => {
    const s = parseSchema(record('Items', [f('ITEM_ID', ['string']), f('CATEGORY', ['string'], CAT)]));
    assert.deepEqual(
      s.fields.map((x) => [x.type, x.nullable]),
      [
        ['string', false],
        ['string', false],
      ],
    );
  });
  it('accepts Avro object-form primitive types and ignores doc/default attributes', () => {
    const s = parseSchema(
      record('Users', [f('USER_ID', { type: 'string' }, { doc: 'id' }), f('AGE', ['null', { type: 'int' }], { default: null })]),
    );
    assert.deepEqual(
      s.fields.map((x) => [x.type, x.nullable]),
      [
        ['string', false],
        ['int', true],
      ],
    );
  });
  it('accepts reserved fields that allow null with or without the null union', () => {
    for (const t of ['float', ['float', 'null']]) {
      assert.equal(parseSchema(record('Interactions', [...INTERACTIONS_BASE, f('EVENT_VALUE', t)])).fields[3].type, 'float');
    }
  });
  it('accepts all Interactions reserved fields beside 5 metadata fields', () => {
    const reserved = ['IMPRESSION', 'RECOMMENDATION_ID', 'EVENT_ATTRIBUTION_SOURCE'].map((n) => f(n, NSTR));
    const json = record('Interactions', [
      ...INTERACTIONS_BASE,
      f('EVENT_TYPE', S),
      f('EVENT_VALUE', 'float'),
      ...reserved,
      ...meta(5, NSTR),
    ]);
    assert.equal(parseSchema(json).fields.length, 13);
  });
  it('treats a reserved-looking name of another dataset type, or of a domain, as ordinary metadata', () => {
    assert.equal(parseSchema(users(f('EVENT_VALUE', S, CAT), f('PRICE', 'double'))).fields.length, 4);
    // GENRES need not be categorical and PRICE need not be float outside a VIDEO_ON_DEMAND / ECOMMERCE group.
    assert.equal(parseSchema(record('Items', [IID, f('GENRES', S), f('PRICE', 'double')])).fields.length, 3);
  });
  it('accepts case and underscore variants of the record name and an Avro full name', () => {
    const variants = [
      ['interactions', INTERACTIONS_BASE, 'INTERACTIONS'],
      ['ACTION_INTERACTIONS', ACTION_INTERACTIONS_BASE, 'ACTION_INTERACTIONS'],
      ['Action_Interactions', ACTION_INTERACTIONS_BASE, 'ACTION_INTERACTIONS'],
      [`${NS}.Users`, USERS_FIELDS, 'USERS'],
    ] as const;
    for (const [name, fields, type] of variants) {
      const s = parseSchema(record(name, [...fields]));
      assert.deepEqual([s.datasetType, s.recordName], [type, name]);
    }
  });
  it('accepts exactly the metadata limit of each dataset type', () => {
    assert.ok(parseSchema(record('Interactions', [...INTERACTIONS_BASE, ...meta(5)])));
    assert.ok(parseSchema(record('Users', [UID, ...meta(25)])));
    assert.ok(parseSchema(record('Items', [IID, f('CREATION_TIMESTAMP', 'long'), ...meta(100)])));
    assert.ok(parseSchema(record('Actions', [AID, f('VALUE', 'long'), ...meta(10)])));
    assert.ok(parseSchema(record('ActionInteractions', [...ACTION_INTERACTIONS_BASE, f('IMPRESSION', S), ...meta(5)])));
  });
  it('treats field names that differ only in case as distinct', () => {
    assert.equal(parseSchema(users(f('Genre', 'int'), f('GENRE', 'int'))).fields.length, 4);
  });
  it('accepts categorical: false and textual: false explicitly', () => {
    assert.ok(parseSchema(record('Users', [f('USER_ID', S, { categorical: false }), f('A', 'int', { textual: false })])));
  });
});

describe('parseSchema: domain dataset groups', () => {
  const domainInteractions = record('Interactions', [...INTERACTIONS_BASE, f('EVENT_TYPE', S), f('EVENT_VALUE', ['null', 'float'])]);
  const ecommerceItems = [IID, f('PRICE', 'float'), f('CATEGORY_L1', ['string'], CAT)];
  const vodItems = [IID, f('GENRES', S, CAT), f('CREATION_TIMESTAMP', 'long')];

  it('accepts ECOMMERCE Interactions, Items and Users schemas', () => {
    assert.equal(parseSchema(domainInteractions, 'ECOMMERCE').datasetType, 'INTERACTIONS');
    const extra = [
      f('CATEGORY_L2', NSTR, CAT),
      f('PRODUCT_DESCRIPTION', NSTR, TXT),
      f('CREATION_TIMESTAMP', 'long'),
      f('GENDER', NSTR, CAT),
    ];
    assert.equal(parseSchema(record('Items', ecommerceItems), 'ECOMMERCE').fields.length, 3);
    assert.equal(parseSchema(record('Items', [...ecommerceItems, ...extra]), 'ECOMMERCE').fields.length, 7);
    assert.equal(parseSchema(record('Users', [UID, f('MEMBERSHIP', S, CAT)]), 'ECOMMERCE').fields.length, 2);
  });
  it('accepts ECOMMERCE CREATION_TIMESTAMP as float as well as long', () => {
    assert.equal(parseSchema(record('Items', [...ecommerceItems, f('CREATION_TIMESTAMP', 'float')]), 'ECOMMERCE').fields[3].type, 'float');
  });
  it('accepts VIDEO_ON_DEMAND Interactions, Items and the default Users schema', () => {
    assert.ok(parseSchema(domainInteractions, 'VIDEO_ON_DEMAND'));
    const extra = [f('AVERAGE_RATING', ['null', 'float']), f('CONTENT_OWNER', NSTR, CAT), f('DURATION', 'float')];
    assert.equal(parseSchema(record('Items', [...vodItems, ...extra]), 'VIDEO_ON_DEMAND').fields.length, 6);
    // AWS's default VOD Users schema: SUBSCRIPTION_MODEL is its one metadata field.
    assert.ok(parseSchema(record('Users', [UID, f('SUBSCRIPTION_MODEL', S, CAT)]), 'VIDEO_ON_DEMAND'));
  });
  const cases: Array<[string, Domain, string, FieldDef[], string[]]> = [
    [
      'EVENT_TYPE is required in ECOMMERCE Interactions',
      'ECOMMERCE',
      'Interactions',
      INTERACTIONS_BASE,
      ['Interactions schemas in an ECOMMERCE dataset group require the field EVENT_TYPE (string).'],
    ],
    [
      'EVENT_TYPE is required in VIDEO_ON_DEMAND Interactions',
      'VIDEO_ON_DEMAND',
      'Interactions',
      INTERACTIONS_BASE,
      ['in a VIDEO_ON_DEMAND dataset group require the field EVENT_TYPE'],
    ],
    ['PRICE is required in ECOMMERCE Items', 'ECOMMERCE', 'Items', [IID, f('CATEGORY_L1', S, CAT)], ['require the field PRICE (float)']],
    [
      'CATEGORY_L1 is required in ECOMMERCE Items',
      'ECOMMERCE',
      'Items',
      [IID, f('PRICE', 'float')],
      ['require the field CATEGORY_L1 (categorical string)'],
    ],
    [
      'PRICE must be float',
      'ECOMMERCE',
      'Items',
      [IID, f('CATEGORY_L1', S, CAT), f('PRICE', 'double')],
      ['field "PRICE" must be of type float, but is double.'],
    ],
    [
      'PRICE must not be nullable',
      'ECOMMERCE',
      'Items',
      [IID, f('CATEGORY_L1', S, CAT), f('PRICE', ['null', 'float'])],
      ['field "PRICE" must not be nullable'],
    ],
    [
      'CATEGORY_L1 must be categorical',
      'ECOMMERCE',
      'Items',
      [IID, f('PRICE', 'float'), f('CATEGORY_L1', S)],
      ['field "CATEGORY_L1" must be categorical'],
    ],
    [
      'PRODUCT_DESCRIPTION must be textual',
      'ECOMMERCE',
      'Items',
      [...ecommerceItems, f('PRODUCT_DESCRIPTION', S)],
      ['field "PRODUCT_DESCRIPTION" must be textual'],
    ],
    [
      'GENRES is required in VIDEO_ON_DEMAND Items',
      'VIDEO_ON_DEMAND',
      'Items',
      [IID, f('CREATION_TIMESTAMP', 'long')],
      ['require the field GENRES (categorical string)'],
    ],
    [
      'CREATION_TIMESTAMP is required in VIDEO_ON_DEMAND Items',
      'VIDEO_ON_DEMAND',
      'Items',
      [IID, f('GENRES', S, CAT)],
      ['require the field CREATION_TIMESTAMP (long)'],
    ],
    [
      'GENRES must not be nullable',
      'VIDEO_ON_DEMAND',
      'Items',
      [IID, f('GENRES', NSTR, CAT), f('CREATION_TIMESTAMP', 'long')],
      ['field "GENRES" must not be nullable'],
    ],
    [
      'SUBSCRIPTION_MODEL must be categorical',
      'VIDEO_ON_DEMAND',
      'Users',
      [UID, f('AGE', 'int'), f('SUBSCRIPTION_MODEL', S)],
      ['"SUBSCRIPTION_MODEL" must be categorical'],
    ],
    [
      'domain Users need a metadata field',
      'ECOMMERCE',
      'Users',
      [UID],
      ['Users schemas in an ECOMMERCE dataset group require at least one metadata field'],
    ],
    [
      'no Actions in a domain group',
      'ECOMMERCE',
      'Actions',
      [AID, f('A', 'int')],
      ['Actions datasets cannot be created in an ECOMMERCE dataset group'],
    ],
    [
      'no Action interactions in a domain group',
      'VIDEO_ON_DEMAND',
      'ActionInteractions',
      ACTION_INTERACTIONS_BASE,
      ['ActionInteractions datasets cannot be created in a VIDEO_ON_DEMAND dataset group'],
    ],
  ];
  for (const [title, domain, name, fields, words] of cases) it(`refuses: ${title}`, () => rejects(record(name, fields), words, domain));
  it('refuses an unknown domain value', () => rejects(AWS_USERS, ['unknown domain "RETAIL"'], 'RETAIL' as Domain));
});

describe('parseSchema: invalid structure, types and names', () => {
  const cases: Array<[string, string, string[]]> = [
    ['text that is not JSON', '{"type": "record",', ['the schema is not valid JSON']],
    ['JSON that is not an object', '["record"]', ['must be a JSON object']],
    [
      'a schema that is not a record',
      JSON.stringify({ type: 'enum', name: 'Users', symbols: ['A'] }),
      ['must be an Avro record ("type": "record"), but its type is "enum".'],
    ],
    ['a record without a name', JSON.stringify({ type: 'record', fields: [] }), ['the record has no name']],
    ['a record without fields', JSON.stringify({ type: 'record', name: 'Users' }), ['the record must have a "fields" array.']],
    [
      'an unknown record name',
      record('Events', INTERACTIONS_BASE),
      ['the record name "Events" is not a dataset type', '"Interactions"', '"ActionInteractions"'],
    ],
    [
      'a nested record',
      users(f('ADDRESS', { type: 'record', name: 'Address', fields: [f('CITY', S)] })),
      ['field "ADDRESS" has the complex type record', 'must be flat'],
    ],
    ['an array type', users(f('TAGS', { type: 'array', items: 'string' })), ['field "TAGS" has the complex type array']],
    ['a map type', users(f('PROPS', { type: 'map', values: 'string' })), ['field "PROPS" has the complex type map']],
    ['an enum type', users(f('TIER', { type: 'enum', name: 'Tier', symbols: ['A', 'B'] })), ['field "TIER" has the complex type enum']],
    ['a fixed type', users(f('HASH', { type: 'fixed', name: 'Hash', size: 16 })), ['field "HASH" has the complex type fixed']],
    [
      'a complex type inside a nullable union',
      users(f('TAGS', ['null', { type: 'array', items: 'string' }])),
      ['field "TAGS" has the complex type array'],
    ],
    [
      'a union of two non-null types',
      users(f('A', ['string', 'long'])),
      ['field "A" has a union of several non-null types ["string","long"]'],
    ],
    [
      'an unknown primitive type',
      users(f('A', 'varchar')),
      ['field "A" has the unknown type "varchar"; allowed types are string, int, long'],
    ],
    ['the bytes type', users(f('A', 'bytes')), ['field "A" has the type bytes, which Personalize does not support']],
    ['a field of type null', users(f('A', 'null')), ['field "A" has the type null alone']],
    ['a union of null alone', users(f('A', ['null'])), ['field "A" has the type null alone']],
    ['an empty union', users(f('A', [])), ['field "A" has an empty union type.']],
    ['null twice in a union', users(f('A', ['null', 'null', 'int'])), ['field "A" lists "null" more than once']],
    ['a union in a union', users(f('A', ['null', ['int']])), ['field "A" has a union nested in a union']],
    ['a field without a type', users({ name: 'A' }), ['field "A" has no type.']],
    ['a field without a name', users({ type: 'int' }), ['fields[2] has no name']],
    ['an invalid field name', users(f('MY-AGE', 'int')), ['field name "MY-AGE" is not valid']],
    ['duplicate field names', users(f('A', 'int'), f('A', 'int')), ['field name "A" is used more than once.']],
    [
      'names that clash without underscores',
      users(f('GENRES_1', 'int'), f('GENRES1', 'int')),
      ['fields "GENRES_1" and "GENRES1" have the same name when underscores are ignored.'],
    ],
    [
      'the AWS underscore example',
      users(f('GENRES_FIELD_1', 'int'), f('GENRESFIELD1', 'int')),
      ['fields "GENRES_FIELD_1" and "GENRESFIELD1" have the same name'],
    ],
  ];
  for (const [title, json, words] of cases) it(`refuses ${title}`, () => rejects(json, words));
});

describe('parseSchema: categorical and textual attributes', () => {
  const cases: Array<[string, string, string[]]> = [
    [
      'categorical on a long field',
      users(f('SCORE', 'long', CAT)),
      ['field "SCORE" cannot be categorical; only string fields can be categorical, but it is long.'],
    ],
    [
      'textual on a non-string field',
      record('Items', [IID, f('N', 'int', TXT)]),
      ['field "N" cannot be textual; only string fields can be textual, but it is int.'],
    ],
    [
      'textual in a Users schema',
      users(f('BIO', S, TXT)),
      ['field "BIO" cannot be textual; textual fields are only allowed in Items schemas.'],
    ],
    [
      'two textual fields in Items',
      record('Items', [IID, f('A', S, TXT), f('B', S, TXT)]),
      ['Items schemas can have at most 1 textual field, but "A" and "B" are both textual.'],
    ],
    [
      'a field both categorical and textual',
      record('Items', [IID, f('A', S, { ...TXT, ...CAT })]),
      ['field "A" cannot be both categorical and textual.'],
    ],
    [
      'a non-boolean attribute value',
      users(f('A', S, { categorical: 'true' })),
      ['field "A" has "categorical": "true"; the attribute must be true or false.'],
    ],
  ];
  for (const [title, json, words] of cases) it(`refuses ${title}`, () => rejects(json, words));
});

describe('parseSchema: required and reserved fields of custom groups', () => {
  const schemas: Array<[string, FieldDef[]]> = [
    ['Interactions', INTERACTIONS_BASE],
    ['Users', [UID, f('A', 'int')]],
    ['Items', [IID, f('A', 'int')]],
    ['Actions', [AID, f('A', 'int')]],
    ['ActionInteractions', ACTION_INTERACTIONS_BASE],
  ];
  for (const [name, fields] of schemas) {
    for (const required of fields.filter((x) => x.name !== 'A')) {
      const [field, type] = [String(required.name), String(required.type)];
      it(`${name} requires ${field}`, () =>
        rejects(
          record(
            name,
            fields.filter((x) => x !== required),
          ),
          [`Invalid schema: ${name} schemas require the field ${field} (${type}).`],
        ));
    }
  }
  it('points at a required field written in another case', () => {
    rejects(record('Users', [f('user_id', S), f('A', 'int')]), [
      'require the field USER_ID (string).',
      'The field "user_id" does not count',
    ]);
  });
  const cases: Array<[string, string, string[]]> = [
    [
      'a string TIMESTAMP',
      record('Interactions', [UID, IID, f('TIMESTAMP', S)]),
      ['Invalid schema: field "TIMESTAMP" must be of type long, but is string.'],
    ],
    ['a long USER_ID', record('Interactions', [f('USER_ID', 'long'), IID, TS]), ['field "USER_ID" must be of type string, but is long.']],
    [
      'an int ACTION_ID',
      record('Actions', [f('ACTION_ID', 'int'), f('A', 'int')]),
      ['field "ACTION_ID" must be of type string, but is int.'],
    ],
    [
      'a nullable ITEM_ID',
      record('Items', [f('ITEM_ID', NSTR), f('A', 'int')]),
      ['field "ITEM_ID" must not be nullable; remove "null" from its type.'],
    ],
    [
      'a double EVENT_VALUE',
      record('Interactions', [...INTERACTIONS_BASE, f('EVENT_VALUE', ['null', 'double'])]),
      ['field "EVENT_VALUE" must be of type float, but is double.'],
    ],
    [
      'a long IMPRESSION',
      record('Interactions', [...INTERACTIONS_BASE, f('IMPRESSION', 'long')]),
      ['field "IMPRESSION" must be of type string, but is long.'],
    ],
    [
      'an int CREATION_TIMESTAMP',
      record('Items', [IID, f('A', 'int'), f('CREATION_TIMESTAMP', 'int')]),
      ['field "CREATION_TIMESTAMP" must be of type long, but is int.'],
    ],
    [
      'a float Actions VALUE',
      record('Actions', [AID, f('A', 'int'), f('VALUE', 'float')]),
      ['field "VALUE" must be of type long, but is float.'],
    ],
    [
      'a string ACTION_EXPIRATION_TIMESTAMP',
      record('Actions', [AID, f('A', 'int'), f('ACTION_EXPIRATION_TIMESTAMP', S)]),
      ['"ACTION_EXPIRATION_TIMESTAMP" must be of type long'],
    ],
    [
      'a nullable EVENT_TYPE',
      record('Interactions', [...INTERACTIONS_BASE, f('EVENT_TYPE', NSTR)]),
      ['field "EVENT_TYPE" must not be nullable'],
    ],
    [
      'a nullable CREATION_TIMESTAMP',
      record('Items', [IID, f('A', 'int'), f('CREATION_TIMESTAMP', ['long', 'null'])]),
      ['"CREATION_TIMESTAMP" must not be nullable'],
    ],
    [
      'a categorical EVENT_TYPE',
      record('Interactions', [...INTERACTIONS_BASE, f('EVENT_TYPE', S, CAT)]),
      ['Invalid schema: field "EVENT_TYPE" must not be categorical.'],
    ],
    [
      'a categorical Action interactions EVENT_TYPE',
      record('ActionInteractions', [UID, AID, f('EVENT_TYPE', S, CAT), TS]),
      ['field "EVENT_TYPE" must not be categorical.'],
    ],
    ['a categorical USER_ID', record('Users', [f('USER_ID', S, CAT), f('A', 'int')]), ['field "USER_ID" must not be categorical.']],
    ['a textual ITEM_ID', record('Items', [f('ITEM_ID', S, TXT), f('A', 'int')]), ['field "ITEM_ID" must not be textual.']],
  ];
  for (const [title, json, words] of cases) it(`refuses ${title}`, () => rejects(json, words));
});

describe('parseSchema: metadata fields', () => {
  const limits: Array<[string, FieldDef[], number]> = [
    ['Interactions', [...INTERACTIONS_BASE, f('EVENT_TYPE', S), f('EVENT_VALUE', 'float')], 5],
    ['Users', [UID], 25],
    ['Items', [IID, f('CREATION_TIMESTAMP', 'long')], 100],
    ['Actions', [AID, f('VALUE', 'long'), f('TYPE', S)], 10],
    ['ActionInteractions', ACTION_INTERACTIONS_BASE, 5],
  ];
  for (const [name, fields, limit] of limits) {
    it(`refuses more than ${limit} metadata fields in ${name}`, () => {
      rejects(record(name, [...fields, ...meta(limit + 1)]), [
        `${name} schemas can have at most ${limit} metadata fields`,
        `but this one has ${limit + 1}.`,
      ]);
    });
  }
  for (const [name, id] of [
    ['Users', UID],
    ['Items', IID],
    ['Actions', AID],
  ] as const) {
    it(`refuses a ${name} schema without metadata`, () =>
      rejects(record(name, [id]), [`Invalid schema: ${name} schemas require at least one metadata field`]));
  }
  it('does not count reserved keywords as metadata', () => {
    rejects(record('Items', [IID, f('CREATION_TIMESTAMP', 'long')]), ['Items schemas require at least one metadata field']);
    rejects(record('Actions', [AID, f('VALUE', 'long'), f('TYPE', S)]), ['Actions schemas require at least one metadata field']);
  });
  it('requires the metadata field to be categorical, numerical or (Items) textual', () => {
    rejects(record('Users', [UID, f('NAME', S), f('VIP', 'boolean')]), ['(a categorical string or a numerical field)']);
    assert.ok(parseSchema(record('Items', [IID, f('TEXT', NSTR, TXT)])));
    assert.ok(parseSchema(record('Users', [UID, f('NAME', S), f('SCORE', ['null', 'double'])])));
  });
  it('allows Interactions and ActionInteractions without metadata', () => {
    assert.ok(parseSchema(record('Interactions', INTERACTIONS_BASE)));
    assert.ok(parseSchema(AWS_ACTION_INTERACTIONS));
  });
});

describe('checkSchemaReplacement', () => {
  const items = parseSchema(AWS_ITEMS);
  const itemsWith = (fields: FieldDef[]) => parseSchema(record('Items', fields));
  const replace = (fields: FieldDef[], name: string, by: FieldDef) => fields.map((x) => (x.name === name ? by : x));

  it('accepts adding nullable fields, in either union order, and reordering', () => {
    checkSchemaReplacement(items, itemsWith([...ITEMS_FIELDS, f('BRAND', NSTR, CAT), f('RATING', ['float', 'null'])]));
    checkSchemaReplacement(items, itemsWith([...ITEMS_FIELDS].reverse()));
    checkSchemaReplacement(parseSchema(AWS_USERS), parseSchema(record('Users', [...USERS_FIELDS, f('TIER', ['null', 'long'])])));
  });
  it('refuses adding a non-nullable field', () => {
    refused(items, itemsWith([...ITEMS_FIELDS, f('BRAND', S, CAT)]), ['the added field "BRAND" must be nullable (a union with "null")']);
  });
  it('refuses removing a field', () => {
    refused(items, itemsWith(ITEMS_FIELDS.filter((x) => x.name !== 'GENRES')), [
      'field "GENRES" is missing from the new schema; existing fields cannot be removed.',
    ]);
  });
  it('refuses changing a type', () => {
    const next = parseSchema(record('Users', replace(USERS_FIELDS, 'AGE', f('AGE', ['null', 'long']))));
    refused(parseSchema(AWS_USERS), next, ['field "AGE" must stay int or null, but the new schema changes its type from int to long.']);
  });
  it('refuses changing nullability', () => {
    const next = parseSchema(record('Users', replace(USERS_FIELDS, 'AGE', f('AGE', 'int'))));
    refused(parseSchema(AWS_USERS), next, ['field "AGE" must stay int or null, but the new schema makes it non-nullable.']);
  });
  it('refuses changing categorical or textual', () => {
    refused(items, itemsWith(replace(ITEMS_FIELDS, 'GENRES', f('GENRES', NSTR))), [
      'field "GENRES" must stay categorical string or null',
      'makes it non-categorical',
    ]);
    refused(items, itemsWith(replace(ITEMS_FIELDS, 'DESCRIPTION', f('DESCRIPTION', NSTR))), [
      'field "DESCRIPTION" must stay textual string or null',
      'makes it non-textual',
    ]);
    const current = parseSchema(users(f('NAME', NSTR)));
    refused(current, parseSchema(users(f('NAME', NSTR, CAT))), [
      'field "NAME" must stay string or null, but the new schema makes it categorical.',
    ]);
  });
  it('names every change of one field', () => {
    refused(items, itemsWith(replace(ITEMS_FIELDS, 'GENRES', f('GENRES', 'long'))), [
      'changes its type from string to long and makes it non-nullable and makes it non-categorical',
    ]);
  });
  it('refuses a new schema for Interactions, Actions and ActionInteractions datasets', () => {
    const grown = parseSchema(record('Interactions', [...JSON.parse(AWS_INTERACTIONS).fields, f('DEVICE', NSTR)]));
    refused(parseSchema(AWS_INTERACTIONS), grown, [
      'only Items and Users datasets can get a new schema; this dataset is of type Interactions.',
    ]);
    refused(parseSchema(AWS_ACTIONS), parseSchema(AWS_ACTIONS), ['this dataset is of type Actions.']);
    refused(parseSchema(AWS_ACTION_INTERACTIONS), parseSchema(AWS_ACTION_INTERACTIONS), ['this dataset is of type ActionInteractions.']);
  });
  it('refuses a schema of another dataset type', () => {
    refused(items, parseSchema(AWS_USERS), ['the new schema is for Users datasets, but this dataset is of type Items.']);
  });
});

describe('datasetTypeFromName and recordNameFor', () => {
  it('maps every casing and spelling of the dataset types', () => {
    const expected = {
      INTERACTIONS: ['Interactions', 'interactions', 'INTERACTIONS', 'InterActions'],
      ITEMS: ['Items', 'items', 'ITEMS', 'iTeMs'],
      USERS: ['Users', 'users', 'USERS'],
      ACTIONS: ['Actions', 'actions', 'ACTIONS'],
      ACTION_INTERACTIONS: [
        'Action_Interactions',
        'ACTION_INTERACTIONS',
        'action_interactions',
        'ActionInteractions',
        'ACTIONINTERACTIONS',
      ],
    };
    for (const [type, names] of Object.entries(expected)) for (const name of names) assert.equal(datasetTypeFromName(name), type, name);
  });
  it('returns undefined for anything else', () => {
    for (const name of [
      '',
      'Item',
      'Event-Interactions',
      'I_TEMS',
      'Items ',
      'ACTION__INTERACTIONS',
      'Action-Interactions',
      'ItemInteractions',
    ]) {
      assert.equal(datasetTypeFromName(name), undefined, name);
    }
  });
  it('gives the AWS record name of each type and round-trips', () => {
    assert.equal(recordNameFor('INTERACTIONS'), 'Interactions');
    assert.equal(recordNameFor('ACTION_INTERACTIONS'), 'ActionInteractions');
    for (const t of ['INTERACTIONS', 'ITEMS', 'USERS', 'ACTIONS', 'ACTION_INTERACTIONS'] as const)
      assert.equal(datasetTypeFromName(recordNameFor(t)), t);
  });
});
