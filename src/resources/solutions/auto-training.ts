// Automatic training (training-rules.md rule 34, D-autotrain): a solution with performAutoTraining
// (the default) gets a new solution version on a schedule, created here as if by
// CreateSolutionVersion with trainingType AUTOMATIC. Nodes that run jobs call runAutoTraining about
// once a minute (composition/build-service.ts); it is safe on several nodes at once: each solution
// is decided in a transaction under its versions lock, against the schedule stored in its document.
//
// The schedule, as AWS documents it, with our choices [INF]:
//  * the first automatic version is due FIRST_AUTO_TRAINING_DELAY_MS (one hour: AWS says "within one
//    hour") after the solution is ACTIVE; "if you manually create a solution version within the
//    hour, the solution skips the first automatic training", and that manual version's creation
//    counts as the first training's start;
//  * then one every N days of autoTrainingConfig.schedulingExpression (default 7), counted from the
//    first training's start; a due training happens only if the group's interactions changed since
//    the newest version read them (a version records what it read: dataStamp) and the group has
//    some; otherwise that round is skipped;
//  * a round is postponed (to the next call) while a version of the solution is unfinished, the
//    group is not ACTIVE, or the pending-versions quota is full;
//  * automatic versions show trainingType AUTOMATIC and trainingMode AUTOTRAIN (the enum's value
//    for them; no document says when it appears);
//  * an UpdateSolution that turns automatic training on or changes its frequency starts the
//    schedule again: a version is due an hour after the update is ACTIVE ("a new solution version
//    starts training within the hour"); turning it off drops the schedule.
import type { SolutionConfig } from '../../api/personalize-types.ts';
import { ServiceError } from '../../protocol/service-error.ts';
import { settle } from '../shared/lifecycle.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { nextDue } from '../../jobs/due-times.ts';
import { interactionsStamp, type RecordCounter } from '../shared/interactions-stamp.ts';
import { hasStatus, isFinal } from '../shared/status-table.ts';
import {
  SOLUTION_VERSION_KIND,
  SOLUTION_VERSION_STATUSES,
  type SolutionVersionBody,
} from '../solution-versions/solution-version-record.ts';
import { SOLUTION_KIND, SOLUTION_STATUSES, SOLUTION_UPDATE_STATUSES, solutionVersionsLock, type SolutionBody } from './solution-record.ts';
import { insertVersion } from './version-creation.ts';
import { everyOfKind } from '../../catalog/every-of-kind.ts';

export const FIRST_AUTO_TRAINING_DELAY_MS = 60 * 60 * 1000;
export const DEFAULT_AUTO_TRAINING_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/** N of the solution's `rate(N days)`, 7 without one. */
export function autoTrainingDays(config: SolutionConfig | undefined): number {
  const m = /^rate\((\d+) days?\)$/.exec(config?.autoTrainingConfig?.schedulingExpression ?? '');
  return m ? Number(m[1]) : DEFAULT_AUTO_TRAINING_DAYS;
}

type Outcome = 'created' | 'skipped' | 'postponed' | 'not-due';

/** Decides one solution now, in a transaction; returns the new version's ARN when it made one. */
async function considerSolution(
  deps: ServiceDeps,
  arn: string,
  /** The group's interactions now (currentStamp). */
  stamp: string | undefined,
  now: number,
): Promise<{ outcome: Outcome; arn?: string }> {
  return deps.catalog.transaction(async (tx) => {
    await tx.lock(solutionVersionsLock(arn));
    const stored = await tx.get(arn);
    if (!stored || stored.kind !== SOLUTION_KIND.kind) return { outcome: 'not-due' };
    const solution = settle(stored, now);
    const body = solution.body as unknown as SolutionBody;
    const schedule = body.autoTraining;
    const updating = body.latestSolutionUpdate && !isFinal(SOLUTION_UPDATE_STATUSES, body.latestSolutionUpdate.status);
    if (!body.performAutoTraining || !schedule || now < schedule.nextAt || updating || !hasStatus(SOLUTION_STATUSES, solution, 'ACTIVE')) {
      return { outcome: 'not-due' };
    }
    const versions = await tx.list({
      account: solution.account,
      region: solution.region,
      kind: SOLUTION_VERSION_KIND.kind,
      parentArn: solution.arn,
      order: 'oldest',
    });
    if (versions.some((v) => !isFinal(SOLUTION_VERSION_STATUSES, v.status))) return { outcome: 'postponed' };
    const days = autoTrainingDays(body.solutionConfig);
    const save = (next: SolutionBody['autoTraining']) =>
      tx.update({ ...solution, body: { ...solution.body, autoTraining: next } }, stored.version);
    // A manual version before the first automatic one is due: the first is skipped, and that version started the schedule.
    if (schedule.firstStartedAt === undefined) {
      const manual = versions.find(
        (v) =>
          (v.body as unknown as SolutionVersionBody).trainingType === 'MANUAL' &&
          v.createdAt >= (schedule.since ?? 0) &&
          v.createdAt <= schedule.nextAt,
      );
      if (manual) {
        await save({ since: schedule.since, firstStartedAt: manual.createdAt, nextAt: nextDue(manual.createdAt, days * DAY_MS, now) });
        return { outcome: 'skipped' };
      }
    }
    const last = [...versions].reverse().find((v) => (v.body as unknown as SolutionVersionBody).dataStamp !== undefined);
    const firstStartedAt = schedule.firstStartedAt ?? now;
    if (stamp === undefined || stamp === (last?.body as unknown as SolutionVersionBody | undefined)?.dataStamp) {
      await save({ ...schedule, nextAt: nextDue(schedule.firstStartedAt ?? schedule.nextAt, days * DAY_MS, now) });
      return { outcome: 'skipped' };
    }
    const ctx = { account: solution.account, region: solution.region, requestId: 'automatic-training' };
    const created = await insertVersion(deps, tx, ctx, solution, { trainingMode: 'AUTOTRAIN', trainingType: 'AUTOMATIC', tags: [] });
    await save({ since: schedule.since, firstStartedAt, nextAt: nextDue(firstStartedAt, days * DAY_MS, now) });
    return { outcome: 'created', arn: created };
  });
}

/**
 * Creates the automatic versions due at `now` across every account and region; returns their
 * ARNs. A solution whose round cannot happen now (quota full, group not ACTIVE) is left due, so
 * the next call tries again.
 */
export async function runAutoTraining(deps: ServiceDeps, countRecords: RecordCounter, now: number): Promise<string[]> {
  const created: string[] = [];
  for await (const s of everyOfKind(deps.catalog, SOLUTION_KIND.kind)) {
    // Settled: an update's timed steps may carry a new schedule.
    const body = settle(s, now).body as unknown as SolutionBody;
    if (!body.performAutoTraining || !body.autoTraining || now < body.autoTraining.nextAt) continue;
    try {
      const r = await considerSolution(deps, s.arn, await interactionsStamp(deps.catalog, { ...s, arn: s.parentArn! }, countRecords), now);
      if (r.arn) created.push(r.arn);
    } catch (e) {
      // Postponed: the quota is full or the group is not ACTIVE right now.
      if (!(e instanceof ServiceError)) throw e;
    }
  }
  if (created.length > 0) deps.jobQueued();
  return created;
}
