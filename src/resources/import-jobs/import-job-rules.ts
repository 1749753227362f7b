// The synchronous checks of CreateDatasetImportJob (issue contract; rules.md §6.1, §6.4): what
// is refused before a job exists. The data itself is checked asynchronously by the job.
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ResourceRecord } from '../../catalog/catalog.ts';
import { DataLocationError, resolveDataLocation, type SourceObject } from '../../data/sources/data-location.ts';
import { checkHeader, MAX_HEADER_BYTES, readHeader } from '../../data/engine/header.ts';
import { IngestError } from '../../data/engine/types.ts';
import { inUse, invalidInput } from '../../protocol/service-error.ts';
import type { ParsedSchema } from '../../data/schema/schema-model.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { DATASET_STATUSES, type DatasetBody } from '../datasets/dataset-record.ts';
import { hasStatus } from '../shared/status-table.ts';

/**
 * A dataset still being created takes an import (rules.md 65a): its ACTIVE is only a timed step
 * (lifecycle.ts), and AWS's notebooks call CreateDatasetImportJob right after CreateDataset. The
 * job's commit keeps the dataset's scheduled steps, so it becomes ACTIVE on time with the data.
 * A dataset whose schema is being swapped (UPDATE*) refuses, as before.
 */
const ACCEPTS_IMPORT = ['CREATE PENDING', 'CREATE IN_PROGRESS', 'ACTIVE'] as const;

export function checkDatasetAcceptsImport(dataset: ResourceRecord, importMode: string): void {
  if (!ACCEPTS_IMPORT.some((s) => hasStatus(DATASET_STATUSES, dataset, s))) {
    throw inUse(`Dataset ${dataset.arn} is in state ${dataset.status}; data can be imported once it is ACTIVE again.`);
  }
  if (importMode === 'INCREMENTAL' && !(dataset.body as unknown as DatasetBody).bulk) {
    throw invalidInput(
      `importMode INCREMENTAL needs a dataset that already had a successful bulk import; the first import into ${dataset.arn} must be FULL.`,
    );
  }
}

/** The objects of the location, or InvalidInputException saying why there are none to read. */
export async function checkDataLocation(deps: ServiceDeps, location: string | undefined): Promise<SourceObject[]> {
  try {
    return await resolveDataLocation(location, deps.objects, deps.config.httpAllowHosts);
  } catch (e) {
    if (e instanceof DataLocationError) throw invalidInput(e.message);
    throw e;
  }
}

/**
 * The first file's header must name every schema field (AWS reports missing columns at creation
 * time, rule 66). Only the head of the object is read. A file whose first line is not a header at
 * all (empty, binary, not UTF-8) is left to the job, which fails with the precise reason.
 */
export async function checkFirstHeader(first: SourceObject, schema: ParsedSchema): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'openpersonalize-header-'));
  try {
    const file = join(dir, 'head.csv');
    const end = first.size === undefined ? MAX_HEADER_BYTES : Math.min(first.size, MAX_HEADER_BYTES + 1) - 1;
    if (first.size !== 0) await pipeline(await first.open({ start: 0, end: Math.max(end, 0) }), createWriteStream(file));
    else await pipeline(await first.open(), createWriteStream(file));
    let header: string[];
    try {
      header = await readHeader(file, first.displayName);
    } catch (e) {
      if (e instanceof IngestError) return;
      throw e;
    }
    checkHeader(header, schema);
  } catch (e) {
    if (e instanceof IngestError) throw invalidInput(e.message);
    throw e;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
