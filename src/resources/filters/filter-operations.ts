// CreateFilter, DescribeFilter, ListFilters, DeleteFilter (training-rules.md §8.1, rules 95–98).
// A filter is provisioned like a solution; its expression is checked against the group's
// schemas when it is created (filter-rules.ts) and evaluated by serving (serving/filters/).
// Choices where AWS documents nothing [INF]:
//  * the dataset group need not be ACTIVE (CreateFilter declares no ResourceInUseException), but
//    the datasets an expression names must exist in it;
//  * names are unique per account and region (ARN filter/<name>): a taken one is
//    ResourceAlreadyExistsException, checked before the expression;
//  * ListFilters with an unknown datasetGroupArn lists nothing (it declares no
//    ResourceNotFoundException); lists are newest first, under the model's key `Filters`;
//  * DeleteFilter removes the filter at once; while a batch job (inference, or segment [INF]) that
//    applies it is pending or in progress it refuses with ResourceInUseException (rule 97).
//  DeleteDataset refuses while the group has filters ("You must delete all filters before
//  deleting any dataset"), so a group with filters cannot be deleted either.
import type {
  CreateFilterRequest,
  CreateFilterResponse,
  DeleteFilterRequest,
  DescribeFilterRequest,
  DescribeFilterResponse,
  Filter,
  ListFiltersRequest,
  ListFiltersResponse,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { alreadyExists, tooManyTags } from '../../protocol/service-error.ts';
import { childrenLock, DATASET_GROUP_KIND } from '../dataset-groups/dataset-group-record.ts';
import { makeArn } from '../shared/arns.ts';
import { schedule } from '../shared/lifecycle.ts';
import { insertResource, listPage, loadResource, toDate } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, toTags } from '../tags/tag-rules.ts';
import { FILTER_KIND, FILTER_STATUSES, filterQuotaLock, type FilterBody } from './filter-record.ts';
import { groupSchemasOf } from '../../serving/filters/filter-loading.ts';
import { checkExpression, checkGroupQuotas } from './filter-rules.ts';
import { checkFilterNotInBatchUse } from '../batch-jobs/batch-job-rules.ts';

function describeFilter(record: ResourceRecord): Filter {
  const body = record.body as unknown as FilterBody;
  return {
    name: record.name,
    filterArn: record.arn,
    creationDateTime: toDate(record.createdAt),
    lastUpdatedDateTime: toDate(record.updatedAt),
    datasetGroupArn: record.parentArn ?? undefined,
    failureReason: body.failureReason,
    filterExpression: body.filterExpression,
    status: record.status ?? undefined,
  };
}

export function filterOperations(
  deps: ServiceDeps,
): Pick<PersonalizeHandlers, 'CreateFilter' | 'DescribeFilter' | 'ListFilters' | 'DeleteFilter'> {
  return {
    async CreateFilter(input: CreateFilterRequest, ctx): Promise<CreateFilterResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      const arn = makeArn(FILTER_KIND.kind, ctx.region, ctx.account, input.name);
      const now = deps.now();
      await deps.catalog.transaction(async (tx) => {
        const group = await loadResource(deps, tx, ctx, DATASET_GROUP_KIND, input.datasetGroupArn);
        if (await tx.get(arn)) throw alreadyExists(`A filter with the ARN ${arn} already exists.`);
        // Against DeleteDataset (refused while the group has filters) and the group's quotas.
        await tx.lock(childrenLock(group.arn));
        await tx.lock(filterQuotaLock(group.arn));
        const fields = checkExpression(input.filterExpression, await groupSchemasOf(tx, group));
        const existing = await tx.list({ account: ctx.account, region: ctx.region, kind: FILTER_KIND.kind, parentArn: group.arn });
        checkGroupQuotas(existing, fields, deps.config.quotas);
        const body: FilterBody = { filterExpression: input.filterExpression, fields };
        const transitions = schedule(
          FILTER_STATUSES,
          FILTER_STATUSES.initial,
          ['CREATE IN_PROGRESS', 'ACTIVE'],
          now,
          deps.config.provisioningMs,
        );
        await insertResource(tx, FILTER_KIND, {
          arn,
          account: ctx.account,
          region: ctx.region,
          name: input.name,
          parentArn: group.arn,
          createdAt: now,
          updatedAt: now,
          body: { ...body, transitions },
        });
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return { filterArn: arn };
    },

    async DescribeFilter(input: DescribeFilterRequest, ctx): Promise<DescribeFilterResponse> {
      return { filter: describeFilter(await loadResource(deps, deps.catalog, ctx, FILTER_KIND, input.filterArn)) };
    },

    async ListFilters(input: ListFiltersRequest, ctx): Promise<ListFiltersResponse> {
      const page = await listPage(
        deps,
        ctx,
        'ListFilters',
        { kind: FILTER_KIND.kind, parentArn: input.datasetGroupArn },
        input.nextToken,
        input.maxResults,
      );
      // Describe's form; the model's summary shape keeps only the members a List returns.
      return { Filters: page.records.map(describeFilter), nextToken: page.nextToken };
    },

    async DeleteFilter(input: DeleteFilterRequest, ctx) {
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, FILTER_KIND, input.filterArn);
        await tx.lock(filterQuotaLock(record.parentArn!));
        await checkFilterNotInBatchUse(tx, ctx, record.arn);
        await tx.delete(record.arn);
      });
      return {};
    },
  };
}
