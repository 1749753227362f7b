// CreateMetricAttribution, DescribeMetricAttribution, ListMetricAttributions,
// UpdateMetricAttribution, DeleteMetricAttribution, ListMetricAttributionMetrics (rules.md §11).
// The reports themselves are written by dataset import jobs (src/data/jobs/attribution-report-work.ts).
// Choices where AWS documents nothing (see also metric-attribution-rules.ts):
//  * a second attribution in a group is LimitExceededException: the guide words it as a quota ("You
//    can create at most one metric attribution per dataset group", beside "at most 10 metrics"),
//    while ResourceAlreadyExistsException keeps its meaning everywhere else: the name (= ARN) is taken;
//  * states: CREATE PENDING -> CREATE IN_PROGRESS -> ACTIVE over OPENPERSONALIZE_PROVISIONING_MS, and
//    an update UPDATE PENDING -> UPDATE IN_PROGRESS -> ACTIVE; its changes are visible at once.
//    Update needs ACTIVE (ResourceInUseException otherwise); Delete takes effect at once;
//  * Update removes `removeMetrics` first, then adds `addMetrics` (so one call can redefine a metric);
//    removing an unknown name is InvalidInputException, adding a name that exists is
//    ResourceAlreadyExistsException; an update that changes nothing is InvalidInputException;
//  * Delete is ResourceInUseException while an import job that publishes to it is pending or running;
//  * the group's datasets are re-checked on Update only for the metrics being added;
//  * ListMetricAttributions with an unknown group lists nothing, ListMetricAttributionMetrics with an
//    unknown ARN is InvalidInputException: neither operation declares ResourceNotFoundException.
import type {
  CreateMetricAttributionRequest,
  CreateMetricAttributionResponse,
  DeleteMetricAttributionRequest,
  DescribeMetricAttributionRequest,
  DescribeMetricAttributionResponse,
  ListMetricAttributionMetricsRequest,
  ListMetricAttributionMetricsResponse,
  ListMetricAttributionsRequest,
  ListMetricAttributionsResponse,
  MetricAttribution,
  UpdateMetricAttributionRequest,
  UpdateMetricAttributionResponse,
} from '@aws-sdk/client-personalize';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { ObjectStoreError, parseS3Url } from '../../object-store/object-store.ts';
import type { HandlerTable, RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse, invalidInput, limitExceeded, ServiceError } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { PROVISIONING_STEPS } from '../dataset-groups/dataset-group-operations.ts';
import { PENDING_JOB_STATES } from '../datasets/dataset-operations.ts';
import { schedule } from '../shared/lifecycle.ts';
import { DEFAULT_PAGE_SIZE, insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import {
  attributionOfGroup, checkDistinctNames, checkInteractions, checkMetricCount, checkMetrics, groupSchemas, toStoredOutput,
  type MetricAttributionBody,
} from './metric-attribution-rules.ts';

/** Serialises "one attribution per group" and "no delete while an import publishes to it". */
const groupLock = (groupArn: string) => `metric-attribution:${groupArn}`;

function describe(record: ResourceRecord): MetricAttribution {
  const body = record.body as unknown as MetricAttributionBody;
  return {
    name: record.name,
    metricAttributionArn: record.arn,
    datasetGroupArn: record.parentArn ?? undefined,
    metricsOutputConfig: body.metricsOutputConfig,
    status: record.status ?? undefined,
    failureReason: body.failureReason,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
  };
}

/** The S3 output path must name a bucket that exists: reports are written there by import jobs. */
async function checkOutputPath(deps: ServiceDeps, path: string | undefined): Promise<void> {
  if (path === undefined) return;
  const target = parseS3Url(path);
  if (!target || !target.bucket) throw invalidInput(`Invalid s3DataDestination path ${path}: expected s3://bucket/folder/.`);
  try {
    await deps.objects.list(target.bucket, target.key, { recursive: false });
  } catch (e) {
    if (e instanceof ObjectStoreError) throw invalidInput(`Invalid s3DataDestination path ${path}: ${e.reason === 'no-bucket' ? `the bucket ${target.bucket} does not exist` : e.message}.`);
    throw e;
  }
}

/** The attribution for Update / ListMetricAttributionMetrics, whose ARN the model leaves optional. */
function requireArn(arn: string | undefined): string {
  if (!arn) throw invalidInput('metricAttributionArn is required.');
  return arn;
}

async function pendingPublishingImports(tx: CatalogOps, attribution: ResourceRecord): Promise<string[]> {
  const scope = { account: attribution.account, region: attribution.region };
  const datasets = await tx.list({ ...scope, kind: 'dataset', parentArn: attribution.parentArn! });
  const jobs = await Promise.all(datasets.map((d) => tx.list({ ...scope, kind: 'dataset-import-job', parentArn: d.arn, statusIn: PENDING_JOB_STATES })));
  return jobs.flat().filter((j) => j.body.publishAttributionMetricsToS3 === true).map((j) => j.arn);
}

export function metricAttributionOperations(deps: ServiceDeps): HandlerTable {
  return {
    async CreateMetricAttribution(input: CreateMetricAttributionRequest, ctx): Promise<CreateMetricAttributionResponse> {
      const arn = makeArn('metric-attribution', ctx.region, ctx.account, input.name!);
      const output = toStoredOutput(input.metricsOutputConfig!);
      // A missing group is reported before the output path costs an object-store round trip,
      // which is done outside the transaction so that the transaction never waits on it.
      await loadResource(deps, deps.catalog, ctx, 'dataset-group', input.datasetGroupArn!);
      await checkOutputPath(deps, output.s3DataDestination?.path);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, 'dataset-group', input.datasetGroupArn!);
        await tx.lock(groupLock(group.arn));
        if (await tx.get(arn)) throw alreadyExists(`A metric attribution with the ARN ${arn} already exists.`);
        const existing = await attributionOfGroup(tx, group);
        if (existing) throw limitExceeded(`Dataset group ${group.arn} already has a metric attribution (${existing.arn}); a dataset group can have at most one.`);
        if (group.status !== 'ACTIVE') throw inUse(`Dataset group ${group.arn} is in state ${group.status}; a metric attribution can be created once it is ACTIVE.`);
        const schemas = await groupSchemas(tx, group);
        checkInteractions(group, schemas);
        const metrics = checkMetrics(input.metrics ?? [], schemas);
        checkMetricCount(metrics.length);
        checkDistinctNames(metrics);
        const body: MetricAttributionBody = { metrics, metricsOutputConfig: output };
        await insertResource(tx, {
          arn, account: ctx.account, region: ctx.region, kind: 'metric-attribution', name: input.name!, parentArn: group.arn,
          status: 'CREATE PENDING', createdAt: now, updatedAt: now,
          body: { ...body, transitions: schedule(now, deps.config.provisioningMs, PROVISIONING_STEPS) },
        });
      });
      return { metricAttributionArn: arn };
    },

    async DescribeMetricAttribution(input: DescribeMetricAttributionRequest, ctx): Promise<DescribeMetricAttributionResponse> {
      return { metricAttribution: describe(await loadResource(deps, deps.catalog, ctx, 'metric-attribution', input.metricAttributionArn!)) };
    },

    async ListMetricAttributions(input: ListMetricAttributionsRequest, ctx): Promise<ListMetricAttributionsResponse> {
      const page = await listPage(deps, ctx, 'ListMetricAttributions', { kind: 'metric-attribution', parentArn: input.datasetGroupArn }, input.nextToken, input.maxResults);
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { metricAttributions: page.records.map(describe), nextToken: page.nextToken };
    },

    async UpdateMetricAttribution(input: UpdateMetricAttributionRequest, ctx): Promise<UpdateMetricAttributionResponse> {
      const arn = requireArn(input.metricAttributionArn);
      const add = input.addMetrics ?? [];
      const remove = input.removeMetrics ?? [];
      if (add.length === 0 && remove.length === 0 && !input.metricsOutputConfig) {
        throw invalidInput('Nothing to update: give addMetrics, removeMetrics or metricsOutputConfig.');
      }
      const output = input.metricsOutputConfig ? toStoredOutput(input.metricsOutputConfig) : undefined;
      await checkOutputPath(deps, output?.s3DataDestination?.path);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, 'metric-attribution', arn);
        await tx.lock(groupLock(record.parentArn!));
        if (record.status !== 'ACTIVE') throw inUse(`Metric attribution ${arn} is in state ${record.status}; it can be updated once it is ACTIVE.`);
        const body = record.body as unknown as MetricAttributionBody;
        const names = new Set(body.metrics.map((m) => m.metricName));
        const unknown = remove.filter((n) => !names.has(n));
        if (unknown.length > 0) throw invalidInput(`removeMetrics names metrics that ${arn} does not have: ${unknown.join(', ')}.`);
        const kept = body.metrics.filter((m) => !remove.includes(m.metricName));
        let added: MetricAttributionBody['metrics'] = [];
        if (add.length > 0) {
          const group = await loadResource(deps, tx, ctx, 'dataset-group', record.parentArn!);
          added = checkMetrics(add, await groupSchemas(tx, group));
          checkDistinctNames(added);
          const taken = added.filter((m) => kept.some((k) => k.metricName === m.metricName));
          if (taken.length > 0) throw alreadyExists(`Metric attribution ${arn} already has a metric named ${taken.map((m) => m.metricName).join(', ')}.`);
        }
        const metrics = [...kept, ...added];
        checkMetricCount(metrics.length);
        const next: MetricAttributionBody = { ...body, metrics, metricsOutputConfig: output ?? body.metricsOutputConfig };
        await tx.update({
          ...record, status: 'UPDATE PENDING', updatedAt: now,
          body: { ...next, transitions: schedule(now, deps.config.provisioningMs, ['UPDATE IN_PROGRESS', 'ACTIVE']) },
        });
      });
      return { metricAttributionArn: arn };
    },

    async DeleteMetricAttribution(input: DeleteMetricAttributionRequest, ctx: RequestContext) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, 'metric-attribution', input.metricAttributionArn!);
        await tx.lock(groupLock(record.parentArn!));
        const publishing = await pendingPublishingImports(tx, record);
        if (publishing.length > 0) {
          throw inUse(`Cannot delete metric attribution ${record.arn} while dataset import jobs that publish to it are pending or in progress (${publishing.join(', ')}).`);
        }
        await tx.delete(record.arn);
      });
      return {};
    },

    async ListMetricAttributionMetrics(input: ListMetricAttributionMetricsRequest, ctx): Promise<ListMetricAttributionMetricsResponse> {
      const arn = requireArn(input.metricAttributionArn);
      let record: ResourceRecord;
      try {
        record = await loadResource(deps, deps.catalog, ctx, 'metric-attribution', arn);
      } catch (e) {
        if (e instanceof ServiceError && e.code === 'ResourceNotFoundException') throw invalidInput(e.message);
        throw e;
      }
      const metrics = (record.body as unknown as MetricAttributionBody).metrics;
      // Metrics are not catalog rows: the token carries the offset, bound to this attribution.
      const scope = JSON.stringify(['ListMetricAttributionMetrics', ctx.account, ctx.region, arn]);
      const offset = input.nextToken ? deps.tokens.read(scope, input.nextToken).createdAt : 0;
      const limit = input.maxResults ?? DEFAULT_PAGE_SIZE;
      const end = offset + limit;
      return {
        metrics: metrics.slice(offset, end),
        nextToken: end < metrics.length ? deps.tokens.issue(scope, { createdAt: end, arn }) : undefined,
      };
    },
  };
}
