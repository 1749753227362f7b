// A filter created through the API, read back from the catalog and compiled against its group's
// schemas the way the runtime applies it (serving/filters/filter-loading.ts), and the cache that
// spares a request the catalog reads.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateFilterCommand, DeleteFilterCommand, type PersonalizeClient } from '@aws-sdk/client-personalize';
import type { CatalogOps } from '../../src/catalog/catalog.ts';
import { compileStoredFilter, CompiledFilterCache } from '../../src/serving/filters/filter-loading.ts';
import type { FilterDataSource } from '../../src/serving/serving-data.ts';
import { groupWithDatasets } from '../testkit/resources.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';

const data: FilterDataSource = {
  interactions: async (userId) => (userId === 'u1' ? [{ itemId: 'i2', eventType: 'BUY', time: 1 }] : []),
  items: async () =>
    new Map([
      ['i1', { GENRES: 'Drama' }],
      ['i2', { GENRES: 'Drama|Comedy' }],
      ['i3', { GENRES: 'Horror' }],
    ]),
  users: async () => new Map(),
};

describe('stored filters compiled for serving', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  let datasetGroupArn: string;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
    ({ datasetGroupArn } = await groupWithDatasets(client, { Items: minimalSchemas.items, Interactions: minimalSchemas.interactions }));
  });
  after(() => svc.close());

  /** The catalog, counting the listings compiling needs (the group's datasets). */
  const counting = () => {
    const ops = { lists: 0, get: svc.catalog.get.bind(svc.catalog), list: svc.catalog.list.bind(svc.catalog) };
    const list: CatalogOps['list'] = (q) => (ops.lists++, svc.catalog.list(q));
    return Object.assign(ops, { list });
  };

  it("compiles a stored filter against its group's schemas and applies it", async () => {
    const filterExpression = 'INCLUDE ItemID WHERE items.genres IN ($G) | EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("buy")';
    const { filterArn } = await client.send(new CreateFilterCommand({ name: uniqueName('f'), datasetGroupArn, filterExpression }));
    const record = (await svc.catalog.get(filterArn!))!;
    const filter = await compileStoredFilter(svc.catalog, record);
    assert.equal(filter.target, 'ItemID');
    assert.deepEqual(filter.fields, ['Items.GENRES', 'Interactions.EVENT_TYPE']);
    assert.deepEqual(filter.parameters, ['G']);
    const keep = await filter.prepare({ userId: 'u1', values: { G: '"Drama"' } }, data);
    assert.deepEqual(['i1', 'i2', 'i3'].filter(keep), ['i1']);
  });

  it('caches by filter: the second request reads no catalog, a re-created filter is compiled anew', async () => {
    const name = uniqueName('f');
    const create = (filterExpression: string) => client.send(new CreateFilterCommand({ name, datasetGroupArn, filterExpression }));
    const { filterArn } = await create('INCLUDE ItemID WHERE Items.GENRES IN ("Horror")');
    const cache = new CompiledFilterCache();
    const ops = counting();
    const first = await cache.get(ops, (await svc.catalog.get(filterArn!))!);
    const again = await cache.get(ops, (await svc.catalog.get(filterArn!))!);
    assert.equal(again, first);
    assert.equal(ops.lists, 1);

    await client.send(new DeleteFilterCommand({ filterArn }));
    await create('EXCLUDE ItemID WHERE Items.GENRES IN ("Horror")');
    const recreated = await cache.get(ops, (await svc.catalog.get(filterArn!))!);
    assert.notEqual(recreated, first);
    assert.deepEqual(['i1', 'i3'].filter(await recreated.prepare({ values: {} }, data)), ['i1']);
  });
});
