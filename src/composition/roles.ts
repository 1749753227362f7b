// What each role of a process serves (OPENPERSONALIZE_ROLE): its HTTP routes and whether it runs
// jobs. Which job kinds a job-running process takes is configuration (OPENPERSONALIZE_JOB_KINDS),
// so a pool of workers for one kind (say, training) is a deployment choice, not a code change.
import type { Config } from '../config/config.ts';

export type RouteName = 'health' | 'ready' | 'metrics' | 'console' | 'personalize' | 'personalize-events' | 'personalize-runtime';

export interface RoleSpec {
  /** In the order a request is offered to them. */
  routes: RouteName[];
  runsJobs: boolean;
}

const OPS: RouteName[] = ['health', 'ready', 'metrics'];
const API: RouteName[] = [...OPS, 'console', 'personalize', 'personalize-events', 'personalize-runtime'];

export const ROLES: Record<Config['role'], RoleSpec> = {
  all: { routes: API, runsJobs: true },
  // Api nodes only enqueue: the workers poll the shared queue.
  api: { routes: API, runsJobs: false },
  // Every node, a worker too, answers health, readiness and metrics; a worker nothing else.
  worker: { routes: OPS, runsJobs: true },
};
