// Required fields, reserved keywords and metadata limits per dataset type: rules.md §3.1 (custom
// dataset groups), §3.2 (domain dataset groups) and §13. Kept as data so that a documentation
// change is a one-line edit; avro-schema-rules.ts is the only code that interprets it.
//
// Notation of a field spec: `[categorical |textual ]<type>[/<type>...][?]`
//   - the attribute word means the field MUST carry it; a spec without it means the field must
//     NOT be categorical / textual ("reserved string fields can't be categorical");
//   - several types separated by `/` are all accepted (first one is the documented one);
//   - a trailing `?` means AWS lists the field as "<type>, null": the union with null is
//     optional. Without `?` the field must not be nullable ("each keyword lists its required data
//     type and whether it supports null data").
//
// Reserved keywords are "non-metadata fields" (AWS wording), so they do not count toward the
// metadata limits or the at-least-one-metadata rule, except the names listed in `metadata`:
// domain attributes that describe the item/user itself (PRICE, GENRES, SUBSCRIPTION_MODEL, ...).
// They must count, otherwise AWS's own default VIDEO_ON_DEMAND Users schema (USER_ID +
// SUBSCRIPTION_MODEL only) would violate "USER_ID + 1 metadata field".

import type { DatasetType, Domain, FieldType } from './schema-model.ts';

export interface FieldRule {
  name: string;
  /** Accepted types; the first is the documented one. */
  types: readonly FieldType[];
  required: boolean;
  /** The field may (but need not) be a union with "null". */
  nullable: boolean;
  /** The field must be categorical (true) or must not be (false). */
  categorical: boolean;
  /** The field must be textual (true) or must not be (false). */
  textual: boolean;
  /** Counts as a metadata field (limits and at-least-one rule). */
  metadata: boolean;
}

export interface DatasetRules {
  /** By field name (exact, case-sensitive: reserved keywords are upper case). */
  fields: ReadonlyMap<string, FieldRule>;
  /** 1 when the schema needs at least one useful metadata field (Users, Items, Actions). */
  minMetadata: 0 | 1;
  maxMetadata: number;
}

interface TableSpec {
  required: Record<string, string>;
  reserved?: Record<string, string>;
  metadata?: readonly string[];
  minMetadata: 0 | 1;
  maxMetadata: number;
}

const INTERACTIONS_RESERVED = {
  EVENT_VALUE: 'float?',
  IMPRESSION: 'string?',
  RECOMMENDATION_ID: 'string?',
  EVENT_ATTRIBUTION_SOURCE: 'string?',
};

const CUSTOM: Record<DatasetType, TableSpec> = {
  INTERACTIONS: {
    required: { USER_ID: 'string', ITEM_ID: 'string', TIMESTAMP: 'long' },
    reserved: { EVENT_TYPE: 'string', ...INTERACTIONS_RESERVED },
    minMetadata: 0,
    maxMetadata: 5,
  },
  USERS: { required: { USER_ID: 'string' }, minMetadata: 1, maxMetadata: 25 },
  ITEMS: {
    required: { ITEM_ID: 'string' },
    reserved: { CREATION_TIMESTAMP: 'long' },
    minMetadata: 1,
    maxMetadata: 100,
  },
  ACTIONS: {
    required: { ACTION_ID: 'string' },
    reserved: {
      CREATION_TIMESTAMP: 'long',
      VALUE: 'long?',
      TYPE: 'string?',
      // The reserved-keyword table says EXPIRATION_TIMESTAMP, the keyword prose says
      // ACTION_EXPIRATION_TIMESTAMP; both are treated as reserved. [INF]
      EXPIRATION_TIMESTAMP: 'long?',
      ACTION_EXPIRATION_TIMESTAMP: 'long?',
      REPEAT_FREQUENCY: 'long?',
    },
    minMetadata: 1,
    maxMetadata: 10,
  },
  ACTION_INTERACTIONS: {
    required: { USER_ID: 'string', ACTION_ID: 'string', EVENT_TYPE: 'string', TIMESTAMP: 'long' },
    reserved: { IMPRESSION: 'string?', RECOMMENDATION_ID: 'string?' },
    minMetadata: 0,
    maxMetadata: 5,
  },
};

// Domain dataset groups have no Actions / Action interactions datasets (AWS: "You can't create
// next best action resources ... in a domain dataset group").
const DOMAIN_INTERACTIONS: TableSpec = {
  required: { USER_ID: 'string', ITEM_ID: 'string', TIMESTAMP: 'long', EVENT_TYPE: 'string' },
  // The ECOMMERCE table lists IMPRESSION as plain string, the per-dataset page as string/null:
  // accepting null covers both.
  reserved: INTERACTIONS_RESERVED,
  minMetadata: 0,
  maxMetadata: 5,
};

const DOMAIN: Record<Domain, Partial<Record<DatasetType, TableSpec>>> = {
  ECOMMERCE: {
    INTERACTIONS: DOMAIN_INTERACTIONS,
    USERS: { required: { USER_ID: 'string' }, minMetadata: 1, maxMetadata: 25 },
    ITEMS: {
      required: { ITEM_ID: 'string', PRICE: 'float', CATEGORY_L1: 'categorical string' },
      reserved: {
        CATEGORY_L2: 'categorical string?',
        CATEGORY_L3: 'categorical string?',
        PRODUCT_DESCRIPTION: 'textual string?',
        // Current docs say float, the 2023 docs and every other dataset say long: accept both.
        CREATION_TIMESTAMP: 'long/float',
        AGE_GROUP: 'categorical string?',
        ADULT: 'categorical string?',
        GENDER: 'categorical string?',
      },
      metadata: ['PRICE', 'CATEGORY_L1', 'CATEGORY_L2', 'CATEGORY_L3', 'PRODUCT_DESCRIPTION', 'AGE_GROUP', 'ADULT', 'GENDER'],
      minMetadata: 0,
      maxMetadata: 100,
    },
  },
  VIDEO_ON_DEMAND: {
    INTERACTIONS: DOMAIN_INTERACTIONS,
    USERS: {
      required: { USER_ID: 'string' },
      reserved: { SUBSCRIPTION_MODEL: 'categorical string' },
      metadata: ['SUBSCRIPTION_MODEL'],
      minMetadata: 1,
      maxMetadata: 25,
    },
    ITEMS: {
      required: { ITEM_ID: 'string', GENRES: 'categorical string', CREATION_TIMESTAMP: 'long' },
      reserved: {
        PRICE: 'float',
        DURATION: 'float',
        GENRE_L2: 'categorical string?',
        GENRE_L3: 'categorical string?',
        AVERAGE_RATING: 'float?',
        PRODUCT_DESCRIPTION: 'textual string?',
        CONTENT_OWNER: 'categorical string?',
        CONTENT_CLASSIFICATION: 'categorical string?',
      },
      metadata: [
        'GENRES',
        'PRICE',
        'DURATION',
        'GENRE_L2',
        'GENRE_L3',
        'AVERAGE_RATING',
        'PRODUCT_DESCRIPTION',
        'CONTENT_OWNER',
        'CONTENT_CLASSIFICATION',
      ],
      minMetadata: 0,
      maxMetadata: 100,
    },
  },
};

const FIELD_TYPES: ReadonlySet<string> = new Set<FieldType>(['string', 'int', 'long', 'float', 'double', 'boolean']);

function parseSpec(name: string, spec: string, required: boolean, metadata: boolean): FieldRule {
  const m = /^(categorical |textual )?([a-z/]+)(\?)?$/.exec(spec);
  const types = m ? m[2].split('/') : [];
  if (!m || !types.every((t) => FIELD_TYPES.has(t))) throw new Error(`bad field spec for ${name}: ${spec}`);
  return {
    name,
    types: types as FieldType[],
    required,
    nullable: m[3] === '?',
    categorical: m[1] === 'categorical ',
    textual: m[1] === 'textual ',
    metadata,
  };
}

function compile(spec: TableSpec): DatasetRules {
  const fields = new Map<string, FieldRule>();
  const isMetadata = (name: string) => spec.metadata?.includes(name) ?? false;
  for (const [name, s] of Object.entries(spec.required)) fields.set(name, parseSpec(name, s, true, isMetadata(name)));
  for (const [name, s] of Object.entries(spec.reserved ?? {})) fields.set(name, parseSpec(name, s, false, isMetadata(name)));
  return { fields, minMetadata: spec.minMetadata, maxMetadata: spec.maxMetadata };
}

const CUSTOM_RULES = new Map<DatasetType, DatasetRules>(Object.entries(CUSTOM).map(([type, spec]) => [type as DatasetType, compile(spec)]));
const DOMAIN_RULES = new Map<string, DatasetRules>(
  Object.entries(DOMAIN).flatMap(([domain, byType]) =>
    Object.entries(byType).map(([type, spec]) => [`${domain}/${type}`, compile(spec)] as const),
  ),
);

/** The rules for a dataset type in a custom group (no domain) or a domain group; undefined when
 * the domain has no such dataset type (Actions, Action interactions). */
export function rulesFor(type: DatasetType, domain?: Domain): DatasetRules | undefined {
  return domain === undefined ? CUSTOM_RULES.get(type) : DOMAIN_RULES.get(`${domain}/${type}`);
}

/** Human form of a rule's type, as used in messages: "categorical string", "long or float". */
export function describeRule(rule: FieldRule): string {
  const attr = rule.categorical ? 'categorical ' : rule.textual ? 'textual ' : '';
  return attr + rule.types.join(' or ');
}
