// The generated API (src/api/, COVERAGE.md): current with the models and the claims, every
// operation either implemented or answered 501, and handler tables merged and checked strictly.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as personalize from '../../src/api/personalize-handlers.ts';
import type { PersonalizeHandlers } from '../../src/api/personalize-handlers.ts';
import * as personalizeEvents from '../../src/api/personalize-events-handlers.ts';
import * as personalizeRuntime from '../../src/api/personalize-runtime-handlers.ts';
import { mergeHandlers, type HandlerTable } from '../../src/protocol/handler-types.ts';
import { JsonService } from '../../src/protocol/json-protocol.ts';
import { OperationTable } from '../../src/protocol/operation-table.ts';
import { loadServiceModel } from '../../src/protocol/service-model.ts';
import { checkApi, generateApi, REPO_ROOT } from '../../scripts/generate-api.ts';
import { loadServices } from '../../scripts/api-gen/services.ts';
import { PERSONALIZE_PARTS, renderTypeParts } from '../../scripts/api-gen/type-parts.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';

const SERVICES = [
  { name: 'personalize', version: '2018-05-22', lists: personalize },
  { name: 'personalize-events', version: '2018-03-22', lists: personalizeEvents },
  { name: 'personalize-runtime', version: '2018-05-22', lists: personalizeRuntime },
];

const noop = async () => ({});

describe('generated API', () => {
  it('the files on disk are what the generator makes from spec/ and the claims', () => {
    assert.deepEqual(checkApi(), [], 'run `npm run generate:api`');
  });

  it("splits Personalize's types by resource, each file small, and refuses a resource no part holds", () => {
    const files = generateApi();
    const parts = [...files.keys()].filter((p) => p.startsWith('src/api/personalize-types/'));
    assert.deepEqual(parts.map((p) => p.split('/').pop()).sort(), [
      'batch.ts',
      'common.ts',
      'datasets.ts',
      'events.ts',
      'serving.ts',
      'training.ts',
    ]);
    for (const p of parts) assert.ok(files.get(p)!.split('\n').length < 400, p);
    assert.match(files.get('src/api/personalize-types/serving.ts')!, /export interface CreateCampaignRequest \{/);
    assert.match(files.get('src/api/personalize-types/training.ts')!, /export interface SolutionVersionSummary \{/);
    const model = loadServices(REPO_ROOT).find((s) => s.service === 'personalize')!.model;
    const withMore = { ...model, operations: { ...model.operations, DescribeWidget: model.operations.DescribeCampaign } };
    assert.throws(() => renderTypeParts(withMore, 'personalize', '', PERSONALIZE_PARTS), /no part .* holds the resources Widget/);
  });

  it('the check notices a change of the claims, and refuses a claim the model lacks', () => {
    const root = mkdtempSync(join(tmpdir(), 'openpersonalize-api-'));
    try {
      cpSync(join(REPO_ROOT, 'spec'), join(root, 'spec'), { recursive: true });
      cpSync(join(REPO_ROOT, 'src/api'), join(root, 'src/api'), { recursive: true });
      for (const [path, content] of generateApi()) writeFileSync(join(root, path), content);
      assert.deepEqual(checkApi(root), []);
      const claims = join(root, 'src/api/implemented-operations.json');
      const claimed = JSON.parse(readFileSync(claims, 'utf8')) as Record<string, string[]>;
      writeFileSync(claims, JSON.stringify({ ...claimed, personalize: claimed.personalize.filter((n) => n !== 'ListSchemas') }));
      assert.deepEqual(checkApi(root).sort(), ['COVERAGE.md', 'src/api/personalize-handlers.ts']);
      writeFileSync(claims, JSON.stringify({ ...claimed, personalize: [...claimed.personalize, 'MakeCoffee'] }));
      assert.throws(() => generateApi(root), /MakeCoffee is not an operation of spec\/personalize\/2018-05-22\/service-2\.json/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  for (const s of SERVICES) {
    it(`${s.name}: every operation is either implemented or not implemented, never both`, () => {
      const operations = Object.keys(loadServiceModel(s.name, s.version).operations).sort();
      const implemented: readonly string[] = s.lists.IMPLEMENTED;
      const notImplemented: readonly string[] = s.lists.NOT_IMPLEMENTED;
      assert.deepEqual([...implemented, ...notImplemented].sort(), operations);
      assert.deepEqual(
        implemented.filter((n) => notImplemented.includes(n)),
        [],
      );
    });
  }
});

describe('mergeHandlers', () => {
  it('merges disjoint tables into one', () => {
    const merged = mergeHandlers({ DescribeSchema: noop }, { ListSchemas: noop, DeleteSchema: noop });
    assert.deepEqual(Object.keys(merged).sort(), ['DeleteSchema', 'DescribeSchema', 'ListSchemas']);
  });

  it('throws on an operation given twice, naming it and both parts', () => {
    assert.throws(
      () => mergeHandlers({ CreateSchema: noop }, { DescribeSchema: noop }, { CreateSchema: noop }),
      /operation CreateSchema is given twice, by part 1 and by part 3/,
    );
  });

  it('types the result as the parts together: a claimed operation missing is a compile error', () => {
    const some = mergeHandlers({ DescribeSchema: noop }, { ListSchemas: noop });
    const ok: Pick<PersonalizeHandlers, 'DescribeSchema' | 'ListSchemas'> = some;
    // @ts-expect-error CreateSchema (and every other claimed operation) has no handler
    const incomplete: PersonalizeHandlers = some;
    assert.ok(ok && incomplete);
  });
});

describe('the handler table at start-up', () => {
  const model = loadServiceModel('personalize', '2018-05-22');
  const complete = (): HandlerTable => Object.fromEntries(personalize.IMPLEMENTED.map((n) => [n, noop]));

  it('takes exactly the implemented operations', () => {
    assert.doesNotThrow(() => new JsonService(model, complete()));
  });

  it('refuses a table without a claimed operation', () => {
    const table = complete();
    delete table.CreateSchema;
    assert.throws(() => new JsonService(model, table), /claims CreateSchema, but the handler table has no handler for it/);
  });

  it('refuses a handler for an operation not claimed as implemented', (t) => {
    // Any service with an operation still unbuilt will do; once every one is built there is none.
    const gap = SERVICES.find((s) => s.lists.NOT_IMPLEMENTED.length > 0);
    if (!gap) return t.skip('every operation of every model is implemented');
    const extra = (gap.lists.NOT_IMPLEMENTED as readonly string[])[0];
    const table: HandlerTable = Object.fromEntries([...gap.lists.IMPLEMENTED, extra].map((n) => [n, noop]));
    assert.throws(
      () => new OperationTable(loadServiceModel(gap.name, gap.version), table),
      new RegExp(`handlers for ${extra}, which src/api/implemented-operations.json does not claim`),
    );
  });
});

describe('not implemented operations over HTTP', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.close());

  it('every NOT_IMPLEMENTED operation of the three APIs answers 501 naming it', async () => {
    for (const svcModel of SERVICES) {
      const model = loadServiceModel(svcModel.name, svcModel.version);
      for (const name of svcModel.lists.NOT_IMPLEMENTED as readonly string[]) {
        // AWS JSON 1.1 routes by X-Amz-Target; rest-json by the operation's method and path.
        const http = (model.operations[name] as unknown as { http: { method: string; requestUri: string } }).http;
        const json = model.metadata.protocol === 'json';
        const res = await fetch(`${svc.endpoint}${json ? '/' : http.requestUri}`, {
          method: json ? 'POST' : http.method,
          headers: json
            ? { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${model.metadata.targetPrefix}.${name}` }
            : { 'content-type': 'application/json' },
          body: '{}',
        });
        const body = (await res.json()) as { message?: string; Message?: string };
        assert.equal(res.status, 501, name);
        assert.equal(res.headers.get('x-amzn-errortype')?.split(':')[0], 'NotImplementedException', name);
        assert.match(body.message ?? body.Message ?? '', new RegExp(`^${name} is part of the Amazon Personalize`), name);
      }
    }
  });
});
