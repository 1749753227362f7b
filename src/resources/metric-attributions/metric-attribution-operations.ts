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
} from '../../api/personalize-types.ts';
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { ObjectStoreError, parseS3Url } from '../../object-store/object-store.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { RequestContext } from '../../protocol/handler-types.ts';
import { alreadyExists, inUse, invalidInput, limitExceeded, ServiceError } from '../../protocol/service-error.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule } from '../shared/lifecycle.ts';
import { DEFAULT_PAGE_SIZE, insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { assertMove, hasStatus, unfinished, type StatusOf } from '../shared/status-table.ts';
import { DATASET_GROUP_KIND, DATASET_GROUP_STATUSES } from '../dataset-groups/dataset-group-record.ts';
import { DATASET_KIND } from '../datasets/dataset-record.ts';
import { IMPORT_JOB_KIND, IMPORT_JOB_STATUSES } from '../import-jobs/import-job-record.ts';
import {
  checkDistinctNames,
  checkInteractions,
  checkMetricCount,
  checkMetrics,
  groupSchemas,
  toStoredOutput,
} from './metric-attribution-rules.ts';
import {
  attributionOfGroup,
  METRIC_ATTRIBUTION_KIND,
  METRIC_ATTRIBUTION_STATUSES,
  metricAttributionLock,
  type MetricAttributionBody,
} from './metric-attribution-record.ts';

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
    if (e instanceof ObjectStoreError)
      throw invalidInput(
        `Invalid s3DataDestination path ${path}: ${e.reason === 'no-bucket' ? `the bucket ${target.bucket} does not exist` : e.message}.`,
      );
    throw e;
  }
}

/** The attribution for Update / ListMetricAttributionMetrics, whose ARN the model leaves optional. */
function requireArn(arn: string | null | undefined): string {
  if (!arn) throw invalidInput('metricAttributionArn is required.');
  return arn;
}

async function pendingPublishingImports(tx: CatalogOps, attribution: ResourceRecord): Promise<string[]> {
  const scope = { account: attribution.account, region: attribution.region };
  const datasets = await tx.list({ ...scope, kind: DATASET_KIND.kind, parentArn: attribution.parentArn! });
  const statusIn = unfinished(IMPORT_JOB_STATUSES);
  const jobs = await Promise.all(datasets.map((d) => tx.list({ ...scope, kind: IMPORT_JOB_KIND.kind, parentArn: d.arn, statusIn })));
  return jobs
    .flat()
    .filter((j) => j.body.publishAttributionMetricsToS3 === true)
    .map((j) => j.arn);
}

export function metricAttributionOperations(
  deps: ServiceDeps,
): Pick<
  PersonalizeHandlers,
  | 'CreateMetricAttribution'
  | 'DescribeMetricAttribution'
  | 'ListMetricAttributions'
  | 'UpdateMetricAttribution'
  | 'DeleteMetricAttribution'
  | 'ListMetricAttributionMetrics'
> {
  return {
    async CreateMetricAttribution(input: CreateMetricAttributionRequest, ctx): Promise<CreateMetricAttributionResponse> {
      const arn = makeArn(METRIC_ATTRIBUTION_KIND.kind, ctx.region, ctx.account, input.name!);
      const output = toStoredOutput(input.metricsOutputConfig!);
      // A missing group is reported before the output path costs an object-store round trip,
      // which is done outside the transaction so that the transaction never waits on it.
      await loadResource(deps, deps.catalog, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
      await checkOutputPath(deps, output.s3DataDestination?.path);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn!);
        await tx.lock(metricAttributionLock(group.arn));
        if (await tx.get(arn)) throw alreadyExists(`A metric attribution with the ARN ${arn} already exists.`);
        const existing = await attributionOfGroup(tx, group);
        if (existing)
          throw limitExceeded(
            `Dataset group ${group.arn} already has a metric attribution (${existing.arn}); a dataset group can have at most one.`,
          );
        if (!hasStatus(DATASET_GROUP_STATUSES, group, 'ACTIVE'))
          throw inUse(`Dataset group ${group.arn} is in state ${group.status}; a metric attribution can be created once it is ACTIVE.`);
        const schemas = await groupSchemas(tx, group);
        checkInteractions(group, schemas);
        const metrics = checkMetrics(input.metrics ?? [], schemas);
        checkMetricCount(metrics.length);
        checkDistinctNames(metrics);
        const body: MetricAttributionBody = { metrics, metricsOutputConfig: output };
        const transitions = schedule(
          METRIC_ATTRIBUTION_STATUSES,
          METRIC_ATTRIBUTION_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, METRIC_ATTRIBUTION_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name!,
          parentArn: group.arn,
          createdAt: now,
          updatedAt: now,
          body: { ...body, transitions },
        });
      });
      return { metricAttributionArn: arn };
    },

    async DescribeMetricAttribution(input: DescribeMetricAttributionRequest, ctx): Promise<DescribeMetricAttributionResponse> {
      return {
        metricAttribution: describe(await loadResource(deps, deps.catalog, ctx, METRIC_ATTRIBUTION_KIND, input.metricAttributionArn!)),
      };
    },

    async ListMetricAttributions(input: ListMetricAttributionsRequest, ctx): Promise<ListMetricAttributionsResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListMetricAttributions',
        { kind: METRIC_ATTRIBUTION_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
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
        const record = await loadResource(deps, tx, ctx, METRIC_ATTRIBUTION_KIND, arn);
        await tx.lock(metricAttributionLock(record.parentArn!));
        if (!hasStatus(METRIC_ATTRIBUTION_STATUSES, record, 'ACTIVE'))
          throw inUse(`Metric attribution ${arn} is in state ${record.status}; it can be updated once it is ACTIVE.`);
        const body = record.body as unknown as MetricAttributionBody;
        const names = new Set(body.metrics.map((m) => m.metricName));
        const unknown = remove.filter((n) => !names.has(n));
        if (unknown.length > 0) throw invalidInput(`removeMetrics names metrics that ${arn} does not have: ${unknown.join(', ')}.`);
        const kept = body.metrics.filter((m) => !remove.includes(m.metricName));
        let added: MetricAttributionBody['metrics'] = [];
        if (add.length > 0) {
          const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, record.parentArn!);
          added = checkMetrics(add, await groupSchemas(tx, group));
          checkDistinctNames(added);
          const taken = added.filter((m) => kept.some((k) => k.metricName === m.metricName));
          if (taken.length > 0)
            throw alreadyExists(`Metric attribution ${arn} already has a metric named ${taken.map((m) => m.metricName).join(', ')}.`);
        }
        const metrics = [...kept, ...added];
        checkMetricCount(metrics.length);
        const next: MetricAttributionBody = { ...body, metrics, metricsOutputConfig: output ?? body.metricsOutputConfig };
        const pending: StatusOf<typeof METRIC_ATTRIBUTION_STATUSES> = 'UPDATE PENDING';
        assertMove(METRIC_ATTRIBUTION_STATUSES, record.status, pending);
        const transitions = schedule(
          METRIC_ATTRIBUTION_STATUSES,
          pending,
          ['UPDATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await tx.update({ ...record, status: pending, updatedAt: now, body: { ...next, transitions } });
      });
      return { metricAttributionArn: arn };
    },

    async DeleteMetricAttribution(input: DeleteMetricAttributionRequest, ctx: RequestContext) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, METRIC_ATTRIBUTION_KIND, input.metricAttributionArn!);
        await tx.lock(metricAttributionLock(record.parentArn!));
        const publishing = await pendingPublishingImports(tx, record);
        if (publishing.length > 0) {
          throw inUse(
            `Cannot delete metric attribution ${record.arn} while dataset import jobs that publish to it are pending or in progress (${publishing.join(', ')}).`,
          );
        }
        await tx.delete(record.arn);
      });
      return {};
    },

    async ListMetricAttributionMetrics(input: ListMetricAttributionMetricsRequest, ctx): Promise<ListMetricAttributionMetricsResponse> {
      const arn = requireArn(input.metricAttributionArn);
      let record: ResourceRecord;
      try {
        record = await loadResource(deps, deps.catalog, ctx, METRIC_ATTRIBUTION_KIND, arn);
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
