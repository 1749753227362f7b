// Tag rules the model does not carry (rules.md §12): at most 50 per resource, keys unique,
// the aws: prefix reserved, schemas and metric attributions not taggable.
import type { CatalogOps, Tag } from '../../catalog/catalog.ts';
import { invalidInput, tooManyTagKeys, tooManyTags } from '../../protocol/service-error.ts';
import type { ResourceKindDefinition } from '../shared/resource-kind.ts';

import type { Tag as ApiTag, Tags as ApiTags } from '../../api/personalize-types.ts';

export function checkTaggable(kind: ResourceKindDefinition, arn: string): void {
  if (!kind.taggable) throw invalidInput(`Resource ${arn} cannot be tagged: schemas and metric attributions do not support tags.`);
}

export function toTags(apiTags: ApiTags | null | undefined): Tag[] {
  const tags = (apiTags ?? []).map((t) => ({ key: t.tagKey ?? '', value: t.tagValue ?? '' }));
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.key.toLowerCase().startsWith('aws:'))
      throw invalidInput(`Tag key '${t.key}' is invalid: the aws: prefix is reserved for AWS use.`);
    if (seen.has(t.key)) throw invalidInput(`Tag key '${t.key}' appears more than once in the request.`);
    seen.add(t.key);
  }
  return tags;
}

/** Serialises changes to one resource's tags. */
const tagsLock = (arn: string) => `tags:${arn}`;

/** Adds tags to a resource, refusing the change if the resource would end up with more than `max`. */
export async function addTags(ops: CatalogOps, arn: string, tags: Tag[], max: number): Promise<void> {
  if (tags.length === 0) return;
  // Two concurrent TagResource calls must not together pass the limit (PostgreSQL, many nodes).
  await ops.lock(tagsLock(arn));
  const existing = new Set((await ops.getTags(arn)).map((t) => t.key));
  const total = existing.size + tags.filter((t) => !existing.has(t.key)).length;
  if (total > max) throw tooManyTags(`Adding these tags would give the resource ${total} tags; the limit is ${max} tags per resource.`);
  await ops.putTags(arn, tags);
}

export function checkUntagKeys(keys: string[], max: number): void {
  if (keys.length > max)
    throw tooManyTagKeys(`The request has ${keys.length} tag keys; at most ${max} tag keys per resource can be removed at once.`);
}

export const toApiTags = (tags: Tag[]): ApiTag[] => tags.map((t) => ({ tagKey: t.key, tagValue: t.value }));
