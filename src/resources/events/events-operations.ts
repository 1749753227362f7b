// The personalize-events API: PutEvents, PutItems, PutUsers, PutActions, PutActionInteractions
// (rules.md §10). Each call: find the dataset (by ARN, or by tracking ID), turn every record into
// raw cells (record-mapping.ts), check them with the bulk cell rules (cell-validator.ts), and
// store them all or nothing (record-store.ts); the call returns once they are durable.
//
// Choices where AWS documents nothing [INF]:
//  * An event without userId is stored with its sessionId as USER_ID (anonymous user).
//  * sentAt / timestamp become TIMESTAMP in whole epoch seconds (fractions dropped).
//  * Members whose column the schema lacks (eventValue without EVENT_VALUE, ...) are ignored;
//    properties keys that are not schema fields are refused.
//  * PutEvents declares only InvalidInputException, so an unknown tracking ID, a group without an
//    Interactions dataset or a dataset not ACTIVE are InvalidInputException there; the other
//    operations use ResourceNotFoundException (404) and ResourceInUseException (409).
import type { PersonalizeEventsHandlers } from '../../api/personalize-events-handlers.ts';
import type {
  PutActionInteractionsRequest,
  PutActionsRequest,
  PutEventsRequest,
  PutItemsRequest,
  PutUsersRequest,
} from '../../api/personalize-events-types.ts';
import type { Catalog, ResourceRecord } from '../../catalog/catalog.ts';
import { valueRule } from '../../data/engine/failure-reason.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { inUse, invalidInput, notFound, type ServiceError } from '../../protocol/service-error.ts';
import { makeArn, parseArn } from '../shared/arns.ts';
import { DATASET_KIND, DATASET_STATUSES, type DatasetBody } from '../datasets/dataset-record.ts';
import { EVENT_TRACKER_STATUSES } from '../event-trackers/event-tracker-record.ts';
import { settle } from '../shared/lifecycle.ts';
import { hasStatus } from '../shared/status-table.ts';
import { parsedSchemaOf } from '../schemas/schema-record.ts';
import type { DatasetType, ParsedSchema } from '../../data/schema/schema-model.ts';
import type { CellValidator } from '../../data/records/cell-validator.ts';
import { cellsOf, toNewRecord, type Fixed } from '../../data/records/record-mapping.ts';
import { DatasetGoneError, type RecordStore } from '../../data/records/record-store.ts';
import { TrackingIds } from './tracking-ids.ts';

export interface EventsDeps {
  catalog: Catalog;
  records: RecordStore;
  validator: CellValidator;
  now: () => number;
}

/** rules.md rule 77/79: an event (as sent) is at most 10 KB. */
const MAX_EVENT_BYTES = 10 * 1024;

interface ApiRecord {
  where: string;
  fixed: Record<string, string | number | undefined>;
  properties?: string;
}

const seconds = (t: unknown): number | undefined => {
  if (t === undefined) return undefined;
  const n = typeof t === 'number' ? t : /^[+-]?\d+(\.\d+)?$/.test(String(t)) ? Number(t) : Date.parse(String(t)) / 1000;
  return Number.isFinite(n) ? Math.floor(n) : undefined;
};

const joined = (list: string[] | undefined) => list?.join('|');

/**
 * The columns an event fills from members the API makes optional (impression, recommendationId,
 * eventValue, the attribution source): an event without one is taken with an empty cell even when
 * the schema's column is not nullable [INF: AWS's exploration notebook puts clicks without an
 * impression into an Interactions dataset whose IMPRESSION is a plain "string"]. The record keeps
 * every other column's nullability.
 */
const OPTIONAL_EVENT_COLUMNS = new Set(['IMPRESSION', 'RECOMMENDATION_ID', 'EVENT_VALUE', 'EVENT_ATTRIBUTION_SOURCE']);
const eventSchemas = new WeakMap<ParsedSchema, ParsedSchema>();

/** The schema a put event is checked against (see OPTIONAL_EVENT_COLUMNS); one object per schema, which the validator batches by. */
function eventSchemaOf(schema: ParsedSchema): ParsedSchema {
  let lenient = eventSchemas.get(schema);
  if (!lenient) {
    lenient = { ...schema, fields: schema.fields.map((f) => (OPTIONAL_EVENT_COLUMNS.has(f.name) ? { ...f, nullable: true } : f)) };
    eventSchemas.set(schema, lenient);
  }
  return lenient;
}

function checkEventSize(event: unknown, where: string): void {
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes > MAX_EVENT_BYTES) throw invalidInput(`${where} is ${bytes} bytes; an event can be at most ${MAX_EVENT_BYTES} bytes.`);
}

export function eventsOperations(deps: EventsDeps): PersonalizeEventsHandlers {
  const schemas = new Map<string, ParsedSchema>();
  const tracking = new TrackingIds(deps.catalog, deps.now);

  async function schemaOf(dataset: ResourceRecord): Promise<ParsedSchema> {
    const arn = (dataset.body as unknown as DatasetBody).schemaArn;
    const record = await deps.catalog.get(arn);
    if (!record) throw invalidInput(`The schema ${arn} of dataset ${dataset.arn} no longer exists.`);
    // One object per schema version: parsed once, and the validator batches calls by it.
    const key = `${arn}@${record.createdAt}`;
    let schema = schemas.get(key);
    if (!schema) {
      if (schemas.size > 1000) schemas.clear();
      schemas.set(key, (schema = parsedSchemaOf(record)));
    }
    return schema;
  }

  /** The dataset as the caller may see it, of the expected type and ACTIVE. `err` adapts the
   *  errors to what the operation declares. */
  async function datasetFor(
    ctx: RequestContext,
    arn: string,
    type: DatasetType,
    err: (e: ServiceError) => ServiceError,
  ): Promise<ResourceRecord> {
    const record = await deps.catalog.get(arn);
    if (!record || record.kind !== DATASET_KIND.kind || record.account !== ctx.account || record.region !== ctx.region) {
      throw err(notFound(`Could not find the dataset ${arn}.`));
    }
    const dataset = settle(record, deps.now());
    const actual = (dataset.body as unknown as DatasetBody).datasetType;
    if (actual !== type) throw invalidInput(`The dataset ${arn} is a ${actual} dataset; this operation adds records to a ${type} dataset.`);
    if (!hasStatus(DATASET_STATUSES, dataset, 'ACTIVE'))
      throw err(inUse(`The dataset ${arn} is in state ${dataset.status}; records can be added once it is ACTIVE.`));
    return dataset;
  }

  async function store(
    dataset: ResourceRecord,
    apiRecords: ApiRecord[],
    gone: (e: ServiceError) => ServiceError,
    events = false,
  ): Promise<void> {
    const stored = await schemaOf(dataset);
    const schema = events ? eventSchemaOf(stored) : stored;
    const cells = apiRecords.map((r) => cellsOf(schema, r.fixed as Fixed, r.properties as string | undefined, r.where));
    const problems = await deps.validator.check(schema, cells);
    const bad = problems
      .map((p, i) => (p ? `${apiRecords[i].where}, column ${p.field.name}: ${valueRule(p.code, p.field, p.value)}` : null))
      .filter((m) => m !== null);
    if (bad.length > 0)
      throw invalidInput(`${bad.length} of ${apiRecords.length} records ${bad.length === 1 ? 'is' : 'are'} invalid: ${bad.join('; ')}`);
    try {
      await deps.records.put(
        { arn: dataset.arn, createdAt: dataset.createdAt },
        cells.map((c) => toNewRecord(schema, c)),
        deps.now(),
      );
    } catch (e) {
      if (e instanceof DatasetGoneError) throw gone(notFound(e.message));
      throw e;
    }
  }

  // PutEvents declares InvalidInputException only.
  const asInvalidInput = (e: ServiceError) => invalidInput(e.message);
  const asIs = (e: ServiceError) => e;

  return {
    async PutEvents(input: PutEventsRequest, ctx) {
      const tracker = await tracking.eventTracker(ctx, input.trackingId);
      if (!tracker) throw invalidInput(`The tracking ID ${input.trackingId} does not belong to any event tracker.`);
      if (!hasStatus(EVENT_TRACKER_STATUSES, tracker, 'ACTIVE'))
        throw invalidInput(
          `The event tracker ${tracker.arn} is in state ${tracker.status}; its tracking ID can be used once it is ACTIVE.`,
        );
      const datasetArn = makeArn(DATASET_KIND.kind, ctx.region, ctx.account, `${parseArn(tracker.parentArn!)!.id}/INTERACTIONS`);
      const dataset = await datasetFor(ctx, datasetArn, 'INTERACTIONS', asInvalidInput);
      const records = input.eventList.map((e, i): ApiRecord => {
        const where = `eventList[${i + 1}]`;
        checkEventSize(e, where);
        return {
          where,
          properties: e.properties,
          fixed: {
            USER_ID: input.userId ?? input.sessionId,
            ITEM_ID: e.itemId,
            TIMESTAMP: seconds(e.sentAt),
            EVENT_TYPE: e.eventType,
            EVENT_VALUE: e.eventValue,
            IMPRESSION: joined(e.impression),
            RECOMMENDATION_ID: e.recommendationId,
            EVENT_ATTRIBUTION_SOURCE: e.metricAttribution?.eventAttributionSource,
          },
        };
      });
      await store(dataset, records, asInvalidInput, true);
      return {};
    },

    async PutActionInteractions(input: PutActionInteractionsRequest, ctx) {
      const datasetArn = await tracking.actionInteractionsDataset(ctx, input.trackingId);
      if (!datasetArn) throw notFound(`The tracking ID ${input.trackingId} does not belong to any Action interactions dataset.`);
      const dataset = await datasetFor(ctx, datasetArn, 'ACTION_INTERACTIONS', asIs);
      const records = input.actionInteractions.map((a, i): ApiRecord => {
        const where = `actionInteractions[${i + 1}]`;
        checkEventSize(a, where);
        return {
          where,
          properties: a.properties,
          fixed: {
            USER_ID: a.userId ?? a.sessionId,
            ACTION_ID: a.actionId,
            TIMESTAMP: seconds(a.timestamp),
            EVENT_TYPE: a.eventType,
            IMPRESSION: joined(a.impression),
            RECOMMENDATION_ID: a.recommendationId,
          },
        };
      });
      await store(dataset, records, asIs, true);
      return {};
    },

    async PutItems(input: PutItemsRequest, ctx) {
      const dataset = await datasetFor(ctx, input.datasetArn, 'ITEMS', asIs);
      await store(
        dataset,
        input.items.map((r, i) => ({
          where: `items[${i + 1}] (itemId '${r.itemId}')`,
          fixed: { ITEM_ID: r.itemId },
          properties: r.properties,
        })),
        asIs,
      );
      return {};
    },

    async PutUsers(input: PutUsersRequest, ctx) {
      const dataset = await datasetFor(ctx, input.datasetArn, 'USERS', asIs);
      await store(
        dataset,
        input.users.map((r, i) => ({
          where: `users[${i + 1}] (userId '${r.userId}')`,
          fixed: { USER_ID: r.userId },
          properties: r.properties,
        })),
        asIs,
      );
      return {};
    },

    async PutActions(input: PutActionsRequest, ctx) {
      const dataset = await datasetFor(ctx, input.datasetArn, 'ACTIONS', asIs);
      await store(
        dataset,
        input.actions.map((r, i) => ({
          where: `actions[${i + 1}] (actionId '${r.actionId}')`,
          fixed: { ACTION_ID: r.actionId },
          properties: r.properties,
        })),
        asIs,
      );
      return {};
    },
  };
}
