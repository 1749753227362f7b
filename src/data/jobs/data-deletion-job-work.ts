// What a data deletion job does (rules.md §9): read the user list, then remove those users from
// every dataset of the group that has a USER_ID column (Interactions, Users, Action interactions),
// bulk data and individually put records alike.
//
// Bulk data: each dataset's affected parts are rewritten without the users (user-deletion.ts)
// and the new generations are switched in the one transaction that marks the job COMPLETED, the
// way an import commits; the old parts are deleted after. A dataset whose generation changed
// since the job read it (an import committed meanwhile) is prepared again from the new
// generation and the commit retried, so the job never drops an import's data (rule 76 makes
// this no API error). Individual records live in the same database and are removed in that same
// transaction, so per dataset the users' bulk rows and records go together or not at all.
import { createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { type CatalogOps, type QueuedJob, type ResourceRecord } from '../../catalog/catalog.ts';
import { JobFailure } from '../../jobs/job-failure.ts';
import { withWorkDir } from '../../jobs/work-dir.ts';
import { jobLogFields, type JobContext, type JobKind } from '../../jobs/job-runner.ts';
import type { RecordStore } from '../records/record-store.ts';
import { setJobState } from '../../jobs/job-state.ts';
import {
  DATA_DELETION_JOB_KIND,
  DATA_DELETION_JOB_STATUSES,
  type DataDeletionJobBody,
} from '../../resources/data-deletion-jobs/data-deletion-job-record.ts';
import { DATASET_KIND, type DatasetBody } from '../../resources/datasets/dataset-record.ts';
import { DataLocationError, resolveDataLocation } from '../sources/data-location.ts';
import { DELETION_FOLDER, totalSizeProblem } from '../sources/user-list-location.ts';
import { engineOptions } from '../engine/engine-options.ts';
import type { WorkerDeps } from './work-deps.ts';
import type { PartRef } from '../generations/part-store.ts';
import { switchGeneration } from '../generations/generation-switch.ts';
import { stageSources } from '../sources/staging.ts';
import { IngestError, type EngineOptions } from '../engine/types.ts';
import { countDistinctUsers, readUserList, removeUsersFromParts, usersAmong } from '../engine/remove-users.ts';

/** Commits tried before giving up when imports keep changing a dataset under the job. */
const MAX_COMMIT_TRIES = 5;
const SCAN_PAGE = 5000;

/** An import switched the dataset's generation after the job read it. */
class GenerationChanged extends Error {
  constructor(readonly datasetArn: string) {
    super(`the bulk data of ${datasetArn} changed while the data deletion job ran`);
  }
}

/** One dataset's new generation, ready to be switched in. */
interface Prepared {
  datasetArn: string;
  /** The part keys the job read: the commit switches only if they are still current. */
  readKeys: string[];
  parts: PartRef[];
  /** New parts written by the job (deleted if the commit does not happen). */
  written: PartRef[];
  foundPath: string;
}

const keysOf = (parts: PartRef[] | undefined) => (parts ?? []).map((p) => p.key);

export function dataDeletionJobKind(deps: WorkerDeps & { records: RecordStore }): JobKind {
  /** Rewrites the parts of one dataset that hold any of the users, and uploads them. */
  async function prepare(
    datasetArn: string,
    usersPath: string,
    workDir: string,
    tag: string,
    engine: EngineOptions,
  ): Promise<Prepared | undefined> {
    const dataset = await deps.catalog.get(datasetArn);
    if (!dataset) return undefined;
    const current = (dataset.body as unknown as DatasetBody).bulk?.parts ?? [];
    const paths = await deps.parts.localPaths(current.map((p) => p.key));
    const { rewrites, foundPath } = await removeUsersFromParts({ parts: paths, usersPath, workDir, tag, engine });
    const parts = [...current];
    const written: PartRef[] = [];
    for (const r of rewrites) {
      // The new part keeps the jobArn of the part it replaces: its commit time orders PUT records in ALL exports.
      const part: PartRef = { key: deps.parts.newKey(datasetArn), rows: r.rows, jobArn: current[r.index].jobArn };
      await deps.parts.put(r.path, part.key);
      parts[r.index] = part;
      written.push(part);
    }
    return { datasetArn, readKeys: keysOf(current), parts, written, foundPath };
  }

  /** Finds which of the users have individual records; returns them and the file listing them. */
  async function findRecordUsers(
    datasetArns: string[],
    usersPath: string,
    workDir: string,
    engine: EngineOptions,
  ): Promise<{ foundPath: string; found: string[] }> {
    const candidates = join(workDir, 'record-users.ndjson');
    const out = createWriteStream(candidates);
    for (const arn of datasetArns) {
      let after: string | undefined;
      for (;;) {
        const page = await deps.records.scan(arn, { after, limit: SCAN_PAGE });
        const lines = page.filter((r) => r.userId !== null).map((r) => `${JSON.stringify({ USER_ID: r.userId })}\n`);
        if (lines.length > 0 && !out.write(lines.join(''))) await once(out, 'drain');
        if (page.length < SCAN_PAGE) break;
        after = page[page.length - 1].key;
      }
    }
    out.end(`${JSON.stringify({ USER_ID: null })}\n`); // never empty: read_json needs a row
    await once(out, 'close');
    const foundPath = join(workDir, 'found-records.parquet');
    const found = await usersAmong({ candidates, usersPath, foundPath, engine });
    return { foundPath, found };
  }

  async function run(job: QueuedJob, ctx: JobContext, record: ResourceRecord): Promise<void> {
    const body = record.body as unknown as DataDeletionJobBody;
    const started = deps.now();
    const phase = (name: string, extra: Record<string, unknown> = {}) =>
      deps.log({
        level: 'info',
        msg: 'deletion phase',
        ...jobLogFields(job.arn, job.kind),
        group: record.parentArn,
        worker: ctx.owner,
        phase: name,
        durationMs: deps.now() - started,
        ...extra,
      });
    await setJobState(deps.catalog, DATA_DELETION_JOB_STATUSES, job.arn, started, 'IN_PROGRESS', { progress: { phase: 'reading' } });
    phase('reading');
    const group = await deps.catalog.get(record.parentArn!);
    if (!group) throw new JobFailure(`The dataset group ${record.parentArn} no longer exists.`);

    const written: PartRef[] = [];
    await withWorkDir(deps.config.dataDir, record.name, async (workDir) => {
      try {
        const objects = await resolveDataLocation(
          body.dataSource.dataLocation,
          deps.objects,
          deps.config.httpAllowHosts,
          DELETION_FOLDER,
        ).catch((e: unknown) => {
          throw e instanceof DataLocationError ? new JobFailure(e.message) : e;
        });
        const sources = await stageSources(objects, workDir, ctx.signal);
        // Sizes of http(s) objects are known only once read.
        const tooBig = totalSizeProblem(objects.map((o, i) => ({ ...o, size: o.size ?? statSync(sources[i].path).size })));
        if (tooBig) throw new JobFailure(tooBig);
        const engine = engineOptions(deps.config, workDir);
        const { usersPath, users } = await readUserList(sources, workDir, engine).catch((e: unknown) => {
          throw e instanceof IngestError ? new JobFailure(e.message) : e;
        });
        ctx.signal.throwIfAborted();
        await setJobState(deps.catalog, DATA_DELETION_JOB_STATUSES, job.arn, deps.now(), 'IN_PROGRESS', {
          progress: { phase: 'deleting', users },
        });
        phase('deleting', { users });

        const datasets = (
          await deps.catalog.list({ account: group.account, region: group.region, kind: DATASET_KIND.kind, parentArn: group.arn })
        ).filter((d) => hasUserId(d));
        const prepared = new Map<string, Prepared>();
        let tag = 0;
        const prepareOne = async (arn: string) => {
          const p = await prepare(arn, usersPath, workDir, String(tag++), engine);
          if (p) written.push(...p.written);
          if (p) prepared.set(arn, p);
          else prepared.delete(arn);
        };
        for (const d of datasets) await prepareOne(d.arn);
        ctx.signal.throwIfAborted();
        const datasetArns = datasets.map((d) => d.arn);
        const records = await findRecordUsers(datasetArns, usersPath, workDir, engine);

        for (let attempt = 1; ; attempt++) {
          const numDeleted = await countDistinctUsers([...[...prepared.values()].map((p) => p.foundPath), records.foundPath], engine);
          try {
            await ctx.finish(async (tx) => {
              for (const p of prepared.values()) await commitRewrite(tx, p);
              // Same database, same transaction: bulk data and individual records go together.
              await deps.records.deleteUsers(datasetArns, records.found, tx);
              await setJobState(tx, DATA_DELETION_JOB_STATUSES, job.arn, deps.now(), 'COMPLETED', { numDeleted, progress: undefined });
            });
            phase('done', { users, numDeleted });
            break;
          } catch (e) {
            if (!(e instanceof GenerationChanged)) throw e;
            if (attempt >= MAX_COMMIT_TRIES)
              throw new JobFailure(
                `The bulk data of ${e.datasetArn} kept changing (imports committed) while the job ran; ${MAX_COMMIT_TRIES} attempts to commit failed. Nothing was deleted; run the job again once the imports are done.`,
              );
            phase('retrying', { dataset: e.datasetArn, attempt });
            const stale = prepared.get(e.datasetArn);
            await deps.parts.delete(keysOf(stale?.written)).catch(() => {});
            await prepareOne(e.datasetArn);
          }
        }
        // The parts it replaced are retired by the switch (readers may still be reading them); the
        // orphan sweep deletes them after their grace.
        written.length = 0;
      } finally {
        // Parts written for a commit that did not happen are garbage.
        if (written.length > 0) await deps.parts.delete(keysOf(written)).catch(() => {});
      }
    });
  }

  /** In the commit transaction: switch one dataset to its new generation if it is still the one the job read. */
  async function commitRewrite(tx: CatalogOps, p: Prepared): Promise<void> {
    // Deleted meanwhile ('no-dataset'): its data is gone anyway.
    if ((await switchGeneration(tx, p.datasetArn, { kind: 'rewrite', baseKeys: p.readKeys, parts: p.parts }, deps.now())) === 'stale')
      throw new GenerationChanged(p.datasetArn);
  }

  /** Every Interactions, Users and Action interactions schema requires USER_ID (rules.md §3.1). */
  function hasUserId(dataset: ResourceRecord): boolean {
    const type = (dataset.body as unknown as DatasetBody).datasetType;
    return type === 'INTERACTIONS' || type === 'USERS' || type === 'ACTION_INTERACTIONS';
  }

  const kind: JobKind = {
    kind: DATA_DELETION_JOB_KIND.kind,
    phaseMessage: 'deletion phase',
    async run(job, ctx) {
      const record = await deps.catalog.get(job.arn);
      if (!record) return ctx.finish(async () => {});
      await run(job, ctx, record);
    },
    async fail(tx, arn, reason) {
      await setJobState(tx, DATA_DELETION_JOB_STATUSES, arn, deps.now(), 'FAILED', { failureReason: reason, progress: undefined });
    },
  };
  return kind;
}
