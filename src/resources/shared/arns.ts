// ARN formats of rules.md §2: name-based, carrying partition, region and account.
import type { ResourceKind } from '../../catalog/catalog.ts';

export interface ParsedArn {
  partition: string;
  region: string;
  account: string;
  /** The resource type segment, e.g. 'schema', 'dataset-group', 'dataset'. */
  type: string;
  /** Everything after the type's slash, e.g. 'MyGroup/INTERACTIONS'. */
  id: string;
}

export function makeArn(kind: ResourceKind, region: string, account: string, id: string): string {
  return `arn:aws:personalize:${region}:${account}:${kind}/${id}`;
}

export function parseArn(arn: string): ParsedArn | undefined {
  const m = /^arn:([a-z\d-]+):personalize:([^:]*):([^:]*):([a-z-]+)\/(.+)$/.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], region: m[2], account: m[3], type: m[4], id: m[5] };
}
