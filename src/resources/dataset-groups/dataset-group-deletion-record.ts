// A deleted dataset group as DescribeDatasetGroup still shows it for a while (rules.md rule 25:
// "DELETE PENDING on delete"). AWS's own notebooks wait on it: one clean-up helper ends its wait
// at the first DescribeDatasetGroup that finds the group after DeleteDatasetGroup (it expects
// DELETE PENDING), the others at ResourceNotFoundException.
//
// How: DeleteDatasetGroup removes the group's row at once — for everything else in the service
// the group is gone, its name free — and, in the same transaction, writes this record (its own
// kind, ARN `dataset-group-deletion/<name>`) with the group's last document and the time until
// which it is DELETE PENDING: the provisioning time, as for the other timed states [INF: AWS takes
// seconds to minutes]. DescribeDatasetGroup of a group it cannot find answers from it until then,
// status DELETE PENDING, then ResourceNotFoundException; ListDatasetGroups lists it meanwhile, in
// its place by creation time (a group created again under the name is listed instead).
// A later deletion of a group of the same name replaces it; nodes that run jobs purge the expired
// ones with the hourly orphan sweep (composition/build-service.ts).
import type { CatalogOps, ResourceRecord } from '../../catalog/catalog.ts';
import { everyOfKind } from '../../catalog/every-of-kind.ts';
import { defineKind } from '../shared/resource-kind.ts';
import { defineStatuses } from '../shared/status-table.ts';

export const DATASET_GROUP_DELETION_STATUSES = defineStatuses({
  kind: 'dataset-group-deletion',
  initial: 'DELETE PENDING',
  transitions: { 'DELETE PENDING': [] },
});

export const DATASET_GROUP_DELETION_KIND = defineKind({
  kind: 'dataset-group-deletion',
  label: 'dataset group deletion',
  statuses: DATASET_GROUP_DELETION_STATUSES,
  taggable: false,
});

export interface DatasetGroupDeletionBody {
  /** The deleted group's ARN. */
  groupArn: string;
  /** Its document, createdAt and tags aside, as it was when deleted. */
  group: Record<string, unknown>;
  groupCreatedAt: number;
  /** Until when (epoch ms) DescribeDatasetGroup shows it DELETE PENDING. */
  until: number;
}

/** The deletion record's ARN for a dataset group's ARN (…:dataset-group/<name>). */
export function deletionArnOf(groupArn: string): string {
  return groupArn.replace(/:dataset-group\//, `:${DATASET_GROUP_DELETION_KIND.kind}/`);
}

/** Records the group's deletion (in the transaction that deletes it), replacing an earlier one of the same name. */
export async function recordDeletion(tx: CatalogOps, group: ResourceRecord, now: number, pendingMs: number): Promise<void> {
  const arn = deletionArnOf(group.arn);
  await tx.delete(arn);
  const body: DatasetGroupDeletionBody = {
    groupArn: group.arn,
    group: group.body,
    groupCreatedAt: group.createdAt,
    until: now + pendingMs,
  };
  await tx.insert({
    arn,
    account: group.account,
    region: group.region,
    kind: DATASET_GROUP_DELETION_KIND.kind,
    name: group.name,
    parentArn: null,
    status: DATASET_GROUP_DELETION_STATUSES.initial,
    createdAt: now,
    updatedAt: now,
    body: body as unknown as Record<string, unknown>,
  });
}

/** The deleted group as DescribeDatasetGroup shows it at `now` (DELETE PENDING), or undefined once the time is over. */
export async function pendingDeletion(ops: Pick<CatalogOps, 'get'>, groupArn: string, now: number): Promise<ResourceRecord | undefined> {
  const record = await ops.get(deletionArnOf(groupArn));
  if (!record || record.kind !== DATASET_GROUP_DELETION_KIND.kind) return undefined;
  const body = record.body as unknown as DatasetGroupDeletionBody;
  if (body.groupArn !== groupArn || now >= body.until) return undefined;
  // Without the group's provisioning transitions: nothing is to be applied to it any more.
  const { transitions: _, ...group } = body.group;
  return {
    ...record,
    arn: groupArn,
    kind: 'dataset-group',
    status: 'DELETE PENDING',
    createdAt: body.groupCreatedAt,
    body: group,
  };
}

/** The account's dataset groups being deleted at `now`, as ListDatasetGroups lists them (not those of a name taken again). */
export async function pendingDeletions(
  ops: Pick<CatalogOps, 'get' | 'list'>,
  account: string,
  region: string,
  now: number,
): Promise<ResourceRecord[]> {
  const records = await ops.list({ account, region, kind: DATASET_GROUP_DELETION_KIND.kind });
  const pending: ResourceRecord[] = [];
  for (const r of records) {
    const groupArn = (r.body as unknown as DatasetGroupDeletionBody).groupArn;
    const shown = await pendingDeletion(ops, groupArn, now);
    if (shown && !(await ops.get(groupArn))) pending.push(shown);
  }
  return pending;
}

/** Deletes the deletion records whose time is over; returns how many. */
export async function purgeDeletions(
  catalog: Parameters<typeof everyOfKind>[0] & Pick<CatalogOps, 'delete'>,
  now: number,
): Promise<number> {
  let purged = 0;
  for await (const r of everyOfKind(catalog, DATASET_GROUP_DELETION_KIND.kind)) {
    if ((r.body as unknown as DatasetGroupDeletionBody).until <= now && (await catalog.delete(r.arn))) purged++;
  }
  return purged;
}
