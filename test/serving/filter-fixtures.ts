// The schemas and the in-memory data the filter tests evaluate against: a dataset group with all
// five dataset types, a few items, users, actions and their interactions.
import { parseSchema } from '../../src/data/schema/avro-schema-rules.ts';
import type { GroupSchemas } from '../../src/serving/filters/filter-check.ts';
import type { ActionFilterData, ActionInteraction } from '../../src/serving/filters/filter-evaluator.ts';
import type { FilterDataSource, UserInteraction } from '../../src/serving/serving-data.ts';

const schema = (name: string, fields: unknown[]) =>
  parseSchema(JSON.stringify({ type: 'record', name, namespace: 'com.amazonaws.personalize.schema', version: '1.0', fields }));
const nullable = (type: string) => ['null', type];

export const SCHEMAS: GroupSchemas = {
  ITEMS: schema('Items', [
    { name: 'ITEM_ID', type: 'string' },
    { name: 'GENRES', type: nullable('string'), categorical: true },
    { name: 'PRICE', type: nullable('float') },
    { name: 'YEAR', type: nullable('int') },
    { name: 'STUDIO', type: nullable('string') },
    { name: 'CREATION_TIMESTAMP', type: 'long' },
    { name: 'DESCRIPTION', type: nullable('string'), textual: true },
    { name: 'IS_NEW', type: nullable('boolean') },
  ]),
  USERS: schema('Users', [
    { name: 'USER_ID', type: 'string' },
    { name: 'AGE', type: nullable('int') },
    { name: 'MEMBERSHIP', type: nullable('string') },
  ]),
  INTERACTIONS: schema('Interactions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ITEM_ID', type: 'string' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'EVENT_VALUE', type: nullable('float') },
    { name: 'TIMESTAMP', type: 'long' },
  ]),
  ACTIONS: schema('Actions', [
    { name: 'ACTION_ID', type: 'string' },
    { name: 'CATEGORY', type: nullable('string'), categorical: true },
    { name: 'VALUE', type: nullable('long') },
  ]),
  ACTION_INTERACTIONS: schema('ActionInteractions', [
    { name: 'USER_ID', type: 'string' },
    { name: 'ACTION_ID', type: 'string' },
    { name: 'EVENT_TYPE', type: 'string' },
    { name: 'TIMESTAMP', type: 'long' },
  ]),
};

/** A group with Items and Interactions only (no Users dataset). */
export const ITEMS_AND_INTERACTIONS: GroupSchemas = { ITEMS: SCHEMAS.ITEMS, INTERACTIONS: SCHEMAS.INTERACTIONS };

/** An Items schema with 12 filterable fields, for the fields-per-filter limit. */
export const WIDE_ITEMS: GroupSchemas = {
  ITEMS: schema('Items', [
    { name: 'ITEM_ID', type: 'string' },
    ...Array.from({ length: 11 }, (_, i) => ({ name: `F${i + 1}`, type: nullable('string'), categorical: true })),
  ]),
};

type Row = Record<string, unknown>;

/** i5 has no metadata at all; i4's GENRES and PRICE are null. */
export const ITEMS: [string, Row][] = [
  ['i1', { GENRES: 'Drama|Comedy', PRICE: 10, YEAR: 1975, STUDIO: 'A', CREATION_TIMESTAMP: 1_600_000_000 }],
  ['i2', { GENRES: 'Comedy', PRICE: 25.5, YEAR: 1995, STUDIO: 'B', CREATION_TIMESTAMP: 1_700_000_000 }],
  ['i3', { GENRES: 'Horror', PRICE: 5, YEAR: 1979, STUDIO: 'A', CREATION_TIMESTAMP: 1_650_000_000 }],
  ['i4', { GENRES: null, PRICE: null, YEAR: 2001, STUDIO: 'a', CREATION_TIMESTAMP: null }],
];
export const ITEM_IDS = ['i1', 'i2', 'i3', 'i4', 'i5'];

/** u3 has no metadata. */
export const USERS: [string, Row][] = [
  ['u1', { AGE: 30, MEMBERSHIP: 'gold' }],
  ['u2', { AGE: 15, MEMBERSHIP: 'basic' }],
];
export const USER_IDS = ['u1', 'u2', 'u3'];

export const ACTIONS: [string, Row][] = [
  ['a1', { CATEGORY: 'promo|sale', VALUE: 10 }],
  ['a2', { CATEGORY: 'info', VALUE: 50 }],
];
export const ACTION_IDS = ['a1', 'a2', 'a3'];

/** A FilterDataSource (with action data) over arrays a test may change, like a service whose data PutEvents changes. */
export class MemoryData implements FilterDataSource, ActionFilterData {
  readonly reads: string[] = [];
  constructor(
    readonly events: Record<string, UserInteraction[]> = {
      u1: [
        { itemId: 'i1', eventType: 'click', time: 100 },
        { itemId: 'i2', eventType: 'Purchase', time: 200 },
        { itemId: 'i3', eventType: 'watch', time: 50 },
      ],
    },
    readonly actionEvents: Record<string, ActionInteraction[]> = { u1: [{ actionId: 'a1', eventType: 'TAKEN', time: 10 }] },
  ) {}

  async interactions(userId: string): Promise<readonly UserInteraction[]> {
    this.reads.push(`interactions:${userId}`);
    return this.events[userId] ?? [];
  }
  async items() {
    this.reads.push('items');
    return new Map(ITEMS);
  }
  async users() {
    this.reads.push('users');
    return new Map(USERS);
  }
  async actions() {
    this.reads.push('actions');
    return new Map(ACTIONS);
  }
  async actionInteractions(userId: string): Promise<readonly ActionInteraction[]> {
    this.reads.push(`actionInteractions:${userId}`);
    return this.actionEvents[userId] ?? [];
  }
}
