// TagResource, UntagResource, ListTagsForResource: on any resource of the caller, by ARN.
import type { TagResourceRequest, UntagResourceRequest, ListTagsForResourceRequest, ListTagsForResourceResponse } from '@aws-sdk/client-personalize';
import type { CatalogOps, ResourceKind } from '../../catalog/catalog.ts';
import type { HandlerTable } from '../../protocol/handler-types.ts';
import { notFound } from '../../protocol/service-error.ts';
import { parseArn } from '../shared/arns.ts';
import { loadResource } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, checkTaggable, checkUntagKeys, toApiTags, toTags } from './tag-rules.ts';

async function kindOf(ops: CatalogOps, arn: string): Promise<ResourceKind> {
  const record = await ops.get(arn);
  if (!record || !parseArn(arn)) throw notFound(`Could not find the resource ${arn}.`);
  return record.kind;
}

export function tagOperations(deps: ServiceDeps): HandlerTable {
  return {
    async TagResource(input: TagResourceRequest, ctx) {
      const arn = input.resourceArn!;
      const tags = toTags(input.tags);
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, await kindOf(tx, arn), arn);
        checkTaggable(record.kind, arn);
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return {};
    },

    async UntagResource(input: UntagResourceRequest, ctx) {
      const arn = input.resourceArn!;
      const keys = input.tagKeys ?? [];
      checkUntagKeys(keys, deps.quotas.tagsPerResource);
      await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, await kindOf(tx, arn), arn);
        checkTaggable(record.kind, arn);
        await tx.deleteTags(arn, keys);
      });
      return {};
    },

    async ListTagsForResource(input: ListTagsForResourceRequest, ctx): Promise<ListTagsForResourceResponse> {
      const arn = input.resourceArn!;
      await loadResource(deps, deps.catalog, ctx, await kindOf(deps.catalog, arn), arn);
      return { tags: toApiTags(await deps.catalog.getTags(arn)) };
    },
  };
}
