// TagResource, UntagResource, ListTagsForResource: on any resource of the caller, by ARN.
import type {
  TagResourceRequest,
  UntagResourceRequest,
  ListTagsForResourceRequest,
  ListTagsForResourceResponse,
} from '../../api/personalize-types.ts';
import type { CatalogOps } from '../../catalog/catalog.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { notFound } from '../../protocol/service-error.ts';
import { parseArn } from '../shared/arns.ts';
import { loadResource } from '../shared/resource-access.ts';
import { kindDefinition, type ResourceKindDefinition } from '../shared/resource-kind.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { addTags, checkTaggable, checkUntagKeys, toApiTags, toTags } from './tag-rules.ts';

async function kindOf(ops: CatalogOps, arn: string): Promise<ResourceKindDefinition> {
  const record = await ops.get(arn);
  if (!record || !parseArn(arn)) throw notFound(`Could not find the resource ${arn}.`);
  return kindDefinition(record.kind);
}

export function tagOperations(deps: ServiceDeps): Pick<PersonalizeHandlers, 'TagResource' | 'UntagResource' | 'ListTagsForResource'> {
  return {
    async TagResource(input: TagResourceRequest, ctx) {
      const arn = input.resourceArn!;
      const tags = toTags(input.tags);
      await deps.catalog.transaction(async (tx) => {
        const kind = await kindOf(tx, arn);
        await loadResource(deps, tx, ctx, kind, arn);
        checkTaggable(kind, arn);
        await addTags(tx, arn, tags, deps.quotas.tagsPerResource);
      });
      return {};
    },

    async UntagResource(input: UntagResourceRequest, ctx) {
      const arn = input.resourceArn!;
      const keys = input.tagKeys ?? [];
      checkUntagKeys(keys, deps.quotas.tagsPerResource);
      await deps.catalog.transaction(async (tx) => {
        const kind = await kindOf(tx, arn);
        await loadResource(deps, tx, ctx, kind, arn);
        checkTaggable(kind, arn);
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
