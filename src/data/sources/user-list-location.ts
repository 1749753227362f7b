// Where a data deletion job's user list may come from (rules.md §9): which objects of a folder
// are read, and how much may be read in all. CreateDataDeletionJob checks them before the job
// exists, and the job again once it has read http(s) objects, whose sizes are known only then.
import type { FolderRule, SourceObject } from './data-location.ts';

/** Total size of a job's user list (rule 75: 100 MB, read as MiB). */
export const MAX_USER_LIST_BYTES = 100 * 1024 * 1024;

/** Rule 73: a folder is read with all its sub-folders, and only its .csv objects (any letter case). */
export const DELETION_FOLDER: FolderRule = {
  recursive: true,
  accept: (key) => key.toLowerCase().endsWith('.csv'),
  nothing: '.csv objects (its sub-folders included)',
};

export function totalSizeProblem(objects: SourceObject[]): string | null {
  const total = objects.reduce((n, o) => n + (o.size ?? 0), 0);
  if (total <= MAX_USER_LIST_BYTES) return null;
  return `The user list is ${total} bytes in ${objects.length} object(s); a data deletion job reads at most ${MAX_USER_LIST_BYTES} bytes (100 MB).`;
}
