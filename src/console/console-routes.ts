// The web console's route: its static front end (console-assets.ts) and a small read-only JSON
// API under /console/api/ that the front end polls. Every API call is scoped to the caller's
// account and region exactly as the Personalize API is (another account's resource is a 404).
//
//   GET    /console/api/whoami                      mode, account, region
//   POST   /console/api/session                     {accessKeyId, secretAccessKey, region?} -> cookie
//   DELETE /console/api/session                     sign out
//   GET    /console/api/dataset-groups
//   GET    /console/api/datasets?group=ARN          the group, its datasets and data deletion jobs
//   GET    /console/api/dataset?arn=ARN             schema, jobs (with progress / failureReason)
//   GET    /console/api/dataset/insights?arn=ARN    row counts (bulk, individual) and plot data
//   GET    /console/api/dataset/rows?arn=ARN&offset=&limit=
//   GET    /console/api/import-job?arn=ARN          the job, its problems and offending lines
//   GET    /console/api/group/models?group=ARN      solutions, campaigns, recommenders, filters, batch jobs
//   GET    /console/api/solution?arn=ARN            the solution and its versions (metrics, hyperparameters)
//   GET    /console/api/campaign?arn=ARN            the campaign, its history, its try-it panel's shape
//   GET    /console/api/recommender?arn=ARN         the same for a recommender
//   GET    /console/api/batch-job?arn=ARN           a batch inference or segment job, its output's first lines
//   POST   /console/api/try-it                      recommendations through the runtime API's pipeline
// Every call takes ?region= (and, in open mode, ?account=). The console changes nothing: the only
// POSTs are signing in and try-it, which reads (as GetRecommendations does).
import { createHash } from 'node:crypto';
import type { Catalog, ResourceRecord } from '../catalog/catalog.ts';
import type { Config } from '../config/config.ts';
import type { ObjectStore } from '../object-store/object-store.ts';
import type { DatasetReader } from '../data/reader.ts';
import type { RecordStore } from '../data/records/record-store.ts';
import type { IncomingCall, Route } from '../protocol/http-server.ts';
import type { ProtocolResponse } from '../protocol/json-protocol.ts';
import { ServiceError } from '../protocol/service-error.ts';
import { DATASET_GROUP_KIND } from '../resources/dataset-groups/dataset-group-record.ts';
import { DATASET_KIND, type DatasetBody } from '../resources/datasets/dataset-record.ts';
import {
  DATA_DELETION_JOB_KIND,
  shownNumDeleted,
  type DataDeletionJobBody,
} from '../resources/data-deletion-jobs/data-deletion-job-record.ts';
import { EXPORT_JOB_KIND, type ExportJobBody } from '../resources/export-jobs/export-job-record.ts';
import { IMPORT_JOB_KIND, type ImportJobBody } from '../resources/import-jobs/import-job-record.ts';
import { settle } from '../resources/shared/lifecycle.ts';
import { kindDefinition, type ResourceKindDefinition } from '../resources/shared/resource-kind.ts';
import { parsedSchemaOf, SCHEMA_KIND } from '../resources/schemas/schema-record.ts';
import { defaultAssetsDir, SECURITY_HEADERS, serveAsset } from './console-assets.ts';
import type { DatasetDetail, DatasetSummary, GroupDetail, GroupSummary, ImportJobDetail, JobSummary, WhoAmI } from './console-api-types.ts';
import { ConsoleError, ConsoleSessions, isRegion, SignInLimiter, type ConsoleCaller } from './console-session.ts';
import { DatasetInsightsEngine, type DatasetData } from './dataset-insights.ts';
import { failureLines } from './failure-lines.ts';
import { batchJobDetail } from './batch-pages.ts';
import { groupModels, solutionDetail, type ConsoleReads } from './model-pages.ts';
import { servingDetail } from './serving-pages.ts';
import { parseTryIt, tryIt, type ConsoleRuntime } from './try-it.ts';

export interface ConsoleDeps {
  catalog: Catalog;
  config: Config;
  objects: ObjectStore;
  /** The dataset as it is now (bulk and individual records). */
  reader: DatasetReader;
  /** Individually put records (personalize-events); without it the console counts none. */
  records?: RecordStore;
  now: () => number;
  /** The service secret (signs pagination tokens); the session key is derived from it. */
  secret: string;
  /** Where the built front end is; default dist/console at the package root. */
  assetsDir?: string;
  /** The serving plane, for try-it; without it try-it answers 503. */
  runtime?: ConsoleRuntime;
}

const LIST_LIMIT = 1000;
const MAX_PAGE = 500;

const json = (status: number, value: unknown, headers: Record<string, string> = {}): ProtocolResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...SECURITY_HEADERS, ...headers },
  body: JSON.stringify(value),
});

function jobSummary(r: ResourceRecord): JobSummary {
  const kind = kindDefinition(r.kind).job?.console;
  if (!kind) throw new Error(`Internal error: ${r.kind} is not a kind of job.`);
  const base: JobSummary = { arn: r.arn, name: r.name, kind, status: r.status, createdAt: r.createdAt, updatedAt: r.updatedAt };
  const failureReason = typeof r.body.failureReason === 'string' ? r.body.failureReason : undefined;
  if (kind === 'import') {
    const b = r.body as unknown as ImportJobBody;
    return { ...base, failureReason, progress: b.progress, location: b.dataSource?.dataLocation, mode: b.importMode };
  }
  if (kind === 'export') {
    const b = r.body as unknown as ExportJobBody;
    return { ...base, failureReason, location: b.jobOutput?.s3DataDestination?.path, mode: b.ingestionMode };
  }
  const b = r.body as unknown as DataDeletionJobBody;
  return { ...base, failureReason, location: b.dataSource?.dataLocation, numDeleted: shownNumDeleted(r) };
}

export function consoleRoute(deps: ConsoleDeps): Route {
  const sessions = new ConsoleSessions(deps.config, deps.secret, deps.now);
  const limiter = new SignInLimiter(deps.now);
  const insights = new DatasetInsightsEngine(deps.config, deps.reader, deps.now);
  const individualCount = (datasetArn: string) => deps.records?.count(datasetArn) ?? Promise.resolve(0);
  const assets = deps.assetsDir ?? defaultAssetsDir();

  async function load(c: ConsoleCaller, definition: ResourceKindDefinition, arn: string | null): Promise<ResourceRecord> {
    const kind = definition.kind;
    const r = arn ? await deps.catalog.get(arn) : undefined;
    if (!r || r.kind !== kind || r.account !== c.account || r.region !== c.region)
      throw new ConsoleError(404, `No ${kind} ${arn ?? '(no arn given)'} in account ${c.account}, region ${c.region}.`);
    return settle(r, deps.now());
  }

  const list = async (c: ConsoleCaller, kind: ResourceKindDefinition, parentArn?: string, limit = LIST_LIMIT) =>
    (await deps.catalog.list({ account: c.account, region: c.region, kind: kind.kind, parentArn, limit })).map((r) =>
      settle(r, deps.now()),
    );
  const reads: ConsoleReads = {
    load,
    list,
    count: (c, kind, parentArn) => deps.catalog.count({ account: c.account, region: c.region, kind: kind.kind, parentArn }),
  };

  async function datasetSummary(c: ConsoleCaller, r: ResourceRecord): Promise<DatasetSummary> {
    const body = r.body as unknown as DatasetBody;
    const [latest] = await list(c, IMPORT_JOB_KIND, r.arn, 1);
    return {
      arn: r.arn,
      name: r.name,
      datasetType: body.datasetType,
      status: r.status,
      schemaArn: body.schemaArn,
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
      latestImport: latest && jobSummary(latest),
    };
  }

  /** The dataset's schema, its current parts (local paths, when their imports committed, as an
   *  ALL export orders them) and its number of individual records. */
  async function datasetData(c: ConsoleCaller, arn: string | null): Promise<DatasetData> {
    const dataset = await load(c, DATASET_KIND, arn);
    await load(c, SCHEMA_KIND, (dataset.body as unknown as DatasetBody).schemaArn);
    const data = await deps.reader.open(dataset.arn);
    if (typeof data === 'string') throw new ConsoleError(404, `The dataset ${dataset.arn} or its schema was just deleted.`);
    return data;
  }

  async function api(call: IncomingCall, path: string, q: URLSearchParams): Promise<ProtocolResponse> {
    if (path === 'session') return session(call, q);
    if (path === 'try-it') return tryItCall(call, q);
    if (call.method !== 'GET') throw new ConsoleError(405, `${call.method} is not allowed: the console is read-only.`);
    const c = sessions.caller(call, q);
    switch (path) {
      case 'group/models':
        return json(200, await groupModels(reads, c, q.get('group')));
      case 'solution':
        return json(200, await solutionDetail(reads, c, q.get('arn')));
      case 'campaign':
      case 'recommender':
        return json(200, await servingDetail(reads, c, path, q.get('arn')));
      case 'batch-job':
        return json(200, await batchJobDetail(reads, deps.objects, c, q.get('arn')));
      case 'whoami': {
        const who: WhoAmI = {
          mode: deps.config.credentials ? 'credentials' : 'open',
          account: c.account,
          region: c.region,
          accessKeyId: c.accessKeyId,
        };
        return json(200, who);
      }
      case 'dataset-groups': {
        const groups = await list(c, DATASET_GROUP_KIND);
        const out: GroupSummary[] = await Promise.all(
          groups.map(async (g) => ({
            arn: g.arn,
            name: g.name,
            status: g.status,
            domain: g.body.domain as string | undefined,
            createdAt: g.createdAt,
            updatedAt: g.updatedAt,
            datasets: await deps.catalog.count({ account: c.account, region: c.region, kind: DATASET_KIND.kind, parentArn: g.arn }),
          })),
        );
        return json(200, { groups: out });
      }
      case 'datasets': {
        const group = await load(c, DATASET_GROUP_KIND, q.get('group'));
        const [datasets, deletions] = await Promise.all([
          Promise.all((await list(c, DATASET_KIND, group.arn)).map((d) => datasetSummary(c, d))),
          list(c, DATA_DELETION_JOB_KIND, group.arn),
        ]);
        const detail: GroupDetail = {
          group: { arn: group.arn, name: group.name, status: group.status },
          datasets,
          deletions: deletions.map(jobSummary),
        };
        return json(200, detail);
      }
      case 'dataset': {
        const dataset = await load(c, DATASET_KIND, q.get('arn'));
        const body = dataset.body as unknown as DatasetBody;
        const schemaRecord = await load(c, SCHEMA_KIND, body.schemaArn);
        const group = dataset.parentArn ? await deps.catalog.get(dataset.parentArn) : undefined;
        const [imports, exports] = await Promise.all([IMPORT_JOB_KIND, EXPORT_JOB_KIND].map((k) => list(c, k, dataset.arn)));
        const detail: DatasetDetail = {
          ...(await datasetSummary(c, dataset)),
          groupArn: dataset.parentArn,
          groupName: group?.name ?? '',
          schemaName: schemaRecord.name,
          schemaFields: parsedSchemaOf(schemaRecord).fields.map((f) => ({ ...f })),
          schemaJson: String(schemaRecord.body.schema),
          bulkParts: body.bulk?.parts.length ?? 0,
          dataVersion: createHash('sha256')
            .update((body.bulk?.parts ?? []).map((p) => p.key).join('\n'))
            .digest('hex')
            .slice(0, 16),
          individualRecords: await individualCount(dataset.arn),
          imports: imports.map(jobSummary),
          exports: exports.map(jobSummary),
        };
        return json(200, detail);
      }
      case 'dataset/insights': {
        return json(200, await insights.insights(await datasetData(c, q.get('arn'))));
      }
      case 'dataset/rows': {
        const offset = Number(q.get('offset') ?? 0);
        const limit = Number(q.get('limit') ?? 50);
        if (!Number.isInteger(offset) || offset < 0) throw new ConsoleError(400, 'offset must be a whole number >= 0.');
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
          throw new ConsoleError(400, `limit must be a whole number from 1 to ${MAX_PAGE}.`);
        return json(200, await insights.rows(await datasetData(c, q.get('arn')), offset, limit));
      }
      case 'import-job': {
        const job = await load(c, IMPORT_JOB_KIND, q.get('arn'));
        const summary = jobSummary(job);
        const found = summary.failureReason ? await failureLines(summary.failureReason, summary.location, deps.objects) : { problems: [] };
        const detail: ImportJobDetail = { ...summary, datasetArn: job.parentArn, ...found };
        return json(200, detail);
      }
      default:
        throw new ConsoleError(404, `No console API at /console/api/${path}.`);
    }
  }

  async function tryItCall(call: IncomingCall, q: URLSearchParams): Promise<ProtocolResponse> {
    if (call.method !== 'POST') throw new ConsoleError(405, 'Use POST to try a campaign or recommender.');
    // A JSON body only, as for sign-in: no other site can make a visitor's browser send one.
    if (!String(call.headers['content-type'] ?? '').startsWith('application/json'))
      throw new ConsoleError(415, 'Send the request as application/json.');
    const c = sessions.caller(call, q);
    if (!deps.runtime) throw new ConsoleError(503, 'This node serves no recommendations.');
    return json(200, await tryIt(reads, deps.runtime, c, parseTryIt(call.body)));
  }

  async function session(call: IncomingCall, q: URLSearchParams): Promise<ProtocolResponse> {
    if (call.method === 'DELETE') return json(200, { signedOut: true }, { 'set-cookie': sessions.signOutCookie() });
    if (call.method !== 'POST') throw new ConsoleError(405, 'Use POST to sign in and DELETE to sign out.');
    // A JSON body only: a cross-site form cannot send one without a CORS preflight, which this
    // service never grants, so no other site can sign a visitor in (login CSRF).
    if (!String(call.headers['content-type'] ?? '').startsWith('application/json'))
      throw new ConsoleError(415, 'Send the key pair as application/json.');
    if (!deps.config.credentials) throw new ConsoleError(400, 'No credentials are configured: the console is open, no sign-in needed.');
    let input: { accessKeyId?: unknown; secretAccessKey?: unknown; region?: unknown };
    try {
      input = JSON.parse(call.body.toString('utf8'));
    } catch {
      throw new ConsoleError(400, 'The body is not JSON.');
    }
    const region = typeof input.region === 'string' && input.region !== '' ? input.region : (q.get('region') ?? deps.config.defaultRegion);
    if (!isRegion(region)) throw new ConsoleError(400, `'${region}' is not a region name like us-east-1.`);
    if (typeof input.accessKeyId !== 'string' || typeof input.secretAccessKey !== 'string')
      throw new ConsoleError(400, 'accessKeyId and secretAccessKey are required.');
    const secure = call.headers['x-forwarded-proto'] === 'https';
    const wait = limiter.waitMs(input.accessKeyId);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      return json(
        429,
        { error: 'TooManyRequests', message: `Too many wrong secrets for this access key: try again in ${seconds} s.` },
        { 'retry-after': String(seconds) },
      );
    }
    const signedIn = sessions.signIn(input.accessKeyId, input.secretAccessKey, region, secure);
    if (!signedIn) {
      limiter.failed(input.accessKeyId);
      throw new ConsoleError(401, 'The access key id or the secret access key is wrong.');
    }
    const who: WhoAmI = { mode: 'credentials', ...signedIn.caller };
    return json(200, who, { 'set-cookie': signedIn.cookie });
  }

  return (call) => {
    if (call.rawPath !== '/console' && !call.rawPath.startsWith('/console/')) return undefined;
    if (!call.rawPath.startsWith('/console/api/')) {
      return call.method === 'GET'
        ? Promise.resolve(
            serveAsset(assets, call.rawPath) ?? json(404, { error: 'NotFound', message: `No console page at ${call.rawPath}.` }),
          )
        : undefined;
    }
    const path = call.rawPath.slice('/console/api/'.length);
    return api(call, path, new URLSearchParams(call.rawQuery)).catch((e: unknown) => {
      if (e instanceof ConsoleError)
        return json(e.status, { error: e.status === 401 ? 'SignInRequired' : 'ConsoleError', message: e.message });
      if (e instanceof ServiceError) return json(e.status, { error: e.code, message: e.message });
      throw e;
    });
  };
}
