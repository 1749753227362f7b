// CreateSolutionVersion, DescribeSolutionVersion, ListSolutionVersions, StopSolutionVersionCreation,
// GetSolutionMetrics (training-rules.md §3-§4). A version is a job that trains the solution's recipe
// (src/training/solution-version-job-work.ts); the choices where AWS documents nothing are listed at
// the top of ../solutions/solution-operations.ts.
import type {
  CreateSolutionVersionRequest,
  CreateSolutionVersionResponse,
  DescribeSolutionVersionRequest,
  DescribeSolutionVersionResponse,
  GetSolutionMetricsRequest,
  GetSolutionMetricsResponse,
  ListSolutionVersionsRequest,
  ListSolutionVersionsResponse,
  StopSolutionVersionCreationRequest,
} from '../../api/personalize-types.ts';
import type { PersonalizeHandlers } from '../../api/personalize-handlers.ts';
import { alreadyExists, inUse, tooManyTags } from '../../protocol/service-error.ts';
import { listPage, loadResource } from '../shared/resource-access.ts';
import type { ServiceDeps } from '../shared/service-deps.ts';
import { hasStatus, withStatus } from '../shared/status-table.ts';
import { checkTrainingMode } from '../solutions/solution-rules.ts';
import { SOLUTION_KIND, solutionVersionsLock, type SolutionBody } from '../solutions/solution-record.ts';
import { insertVersion } from '../solutions/version-creation.ts';
import { toTags } from '../tags/tag-rules.ts';
import { describeVersion, versionsOf, versionSummary } from './solution-version-describe.ts';
import {
  SOLUTION_VERSION_KIND,
  SOLUTION_VERSION_STATUSES,
  solutionVersionLock,
  type SolutionVersionBody,
} from './solution-version-record.ts';

export function solutionVersionOperations(
  deps: ServiceDeps,
): Pick<
  PersonalizeHandlers,
  'CreateSolutionVersion' | 'DescribeSolutionVersion' | 'ListSolutionVersions' | 'StopSolutionVersionCreation' | 'GetSolutionMetrics'
> {
  return {
    async CreateSolutionVersion(input: CreateSolutionVersionRequest, ctx): Promise<CreateSolutionVersionResponse> {
      const tags = toTags(input.tags);
      if (tags.length > deps.quotas.tagsPerResource)
        throw tooManyTags(`${tags.length} tags given; the limit is ${deps.quotas.tagsPerResource} tags per resource.`);
      let arn = '';
      await deps.catalog.transaction(async (tx) => {
        const solution = await loadResource(deps, tx, ctx, SOLUTION_KIND, input.solutionArn!);
        await tx.lock(solutionVersionsLock(solution.arn));
        // A solution still being created is accepted: its creation cannot fail, and the getting-started
        // notebook calls CreateSolutionVersion right after CreateSolution. Its version is queued as usual.
        const body = solution.body as unknown as SolutionBody;
        const versions = await versionsOf(tx, solution);
        const hasActiveFull = versions.some(
          // An automatic training (AUTOTRAIN) is a full training too.
          (v) => hasStatus(SOLUTION_VERSION_STATUSES, v, 'ACTIVE') && (v.body as unknown as SolutionVersionBody).trainingMode !== 'UPDATE',
        );
        const trainingMode = checkTrainingMode(input.trainingMode, body.recipeArn, hasActiveFull);
        if (input.name && versions.some((v) => v.name === input.name))
          throw alreadyExists(`Solution ${solution.arn} already has a solution version named ${input.name}.`);
        arn = await insertVersion(deps, tx, ctx, solution, { name: input.name, trainingMode, trainingType: 'MANUAL', tags });
      });
      deps.jobQueued();
      return { solutionVersionArn: arn };
    },

    async DescribeSolutionVersion(input: DescribeSolutionVersionRequest, ctx): Promise<DescribeSolutionVersionResponse> {
      return {
        solutionVersion: describeVersion(await loadResource(deps, deps.catalog, ctx, SOLUTION_VERSION_KIND, input.solutionVersionArn!)),
      };
    },

    async ListSolutionVersions(input: ListSolutionVersionsRequest, ctx): Promise<ListSolutionVersionsResponse> {
      if (input.solutionArn) await loadResource(deps, deps.catalog, ctx, SOLUTION_KIND, input.solutionArn);
      const page = await listPage(
        deps,
        ctx,
        'ListSolutionVersions',
        { kind: SOLUTION_VERSION_KIND.kind, parentArn: input.solutionArn },
        input.nextToken,
        input.maxResults,
      );
      return { solutionVersions: page.records.map(versionSummary), nextToken: page.nextToken };
    },

    async StopSolutionVersionCreation(input: StopSolutionVersionCreationRequest, ctx) {
      const now = deps.now();
      const stopped = await deps.catalog.transaction(async (tx) => {
        const record = await loadResource(deps, tx, ctx, SOLUTION_VERSION_KIND, input.solutionVersionArn!);
        await tx.lock(solutionVersionLock(record.arn));
        const current = (await tx.get(record.arn))!;
        // Waiting for a worker: stopped at once (its job, when claimed, finds it final and ends).
        if (hasStatus(SOLUTION_VERSION_STATUSES, current, 'CREATE PENDING')) {
          await tx.update(withStatus(SOLUTION_VERSION_STATUSES, current, 'CREATE STOPPED', now), current.version);
          return true;
        }
        if (hasStatus(SOLUTION_VERSION_STATUSES, current, 'CREATE IN_PROGRESS')) {
          await tx.update(withStatus(SOLUTION_VERSION_STATUSES, current, 'CREATE STOPPING', now), current.version);
          return true;
        }
        throw inUse(
          `Solution version ${record.arn} is in state ${current.status}; only a version in CREATE PENDING or CREATE IN_PROGRESS can be stopped.`,
        );
      });
      if (stopped) deps.jobQueued();
      return {};
    },

    async GetSolutionMetrics(input: GetSolutionMetricsRequest, ctx): Promise<GetSolutionMetricsResponse> {
      const record = await loadResource(deps, deps.catalog, ctx, SOLUTION_VERSION_KIND, input.solutionVersionArn!);
      if (!hasStatus(SOLUTION_VERSION_STATUSES, record, 'ACTIVE'))
        throw inUse(`Solution version ${record.arn} is in state ${record.status}; its metrics are available once it is ACTIVE.`);
      // In name order, as AWS returns them (rule 56), whatever order the catalog kept the document's keys in.
      const metrics = Object.entries((record.body as unknown as SolutionVersionBody).metrics ?? {}).sort(([a], [b]) =>
        a < b ? -1 : a > b ? 1 : 0,
      );
      return { solutionVersionArn: record.arn, metrics: Object.fromEntries(metrics) };
    },
  };
}
