// The synchronous checks of CreateDataDeletionJob (rules.md §9): what is refused before a job
// exists. The job re-reads the location and checks every value itself.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DataLocationError, resolveDataLocation, type SourceObject } from '../../data/sources/data-location.ts';
import { DELETION_FOLDER, totalSizeProblem } from '../../data/sources/user-list-location.ts';
import { MAX_HEADER_BYTES, readHeader } from '../../data/engine/header.ts';
import { headerProblem, USER_LIST_HEADER } from '../../data/engine/remove-users.ts';
import { IngestError } from '../../data/engine/types.ts';
import { invalidInput } from '../../protocol/service-error.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';

/** PENDING or IN_PROGRESS deletion jobs per dataset group (rule 75; AWS: 5, adjustable there, fixed here). */
export const MAX_PENDING_DELETIONS = 5;

/** The objects of the user list, or InvalidInputException saying why they cannot be used. */
export async function checkUserListLocation(deps: ServiceDeps, location: string | undefined): Promise<SourceObject[]> {
  let objects: SourceObject[];
  try {
    objects = await resolveDataLocation(location, deps.objects, deps.config.httpAllowHosts, DELETION_FOLDER);
  } catch (e) {
    if (e instanceof DataLocationError) throw invalidInput(e.message);
    throw e;
  }
  const tooBig = totalSizeProblem(objects);
  if (tooBig) throw invalidInput(tooBig);
  return objects;
}

/** The first object's header must be exactly USER_ID; only the head of the object is read. */
export async function checkUserListHeader(first: SourceObject): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-userlist-'));
  try {
    const file = join(dir, 'head.csv');
    if (first.size === 0) throw invalidInput(`${first.displayName}: the file is empty; expected the header line ${USER_LIST_HEADER}`);
    const end = first.size === undefined ? MAX_HEADER_BYTES : Math.min(first.size - 1, MAX_HEADER_BYTES);
    await pipeline(await first.open({ start: 0, end }), createWriteStream(file));
    const header = (await readHeader(file, first.displayName)).join(',');
    if (header !== USER_LIST_HEADER) throw headerProblem(first.displayName, header);
  } catch (e) {
    if (e instanceof IngestError) throw invalidInput(e.message);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
