// OPENPERSONALIZE_QUOTAS=aws: AWS's default quotas, with AWS's wording.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateDatasetGroupCommand, DeleteDatasetGroupCommand } from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';

describe('quotas', () => {
  let aws: TestService;
  let generous: TestService;
  before(async () => {
    aws = await startTestService({ OPENPERSONALIZE_QUOTAS: 'aws' });
    generous = await startTestService();
  });
  after(async () => {
    await aws.close();
    await generous.close();
  });

  it('allows 5 dataset groups per account and region with OPENPERSONALIZE_QUOTAS=aws', async () => {
    const client = aws.client();
    const arns: string[] = [];
    for (let i = 0; i < 5; i++) arns.push((await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }))).datasetGroupArn!);
    const e = await errorOf(() => client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') })));
    assert.equal(e.name, 'LimitExceededException');
    assert.equal(e.message, 'Cannot create a dataset group. More than 5 resources in ACTIVE state. Please delete some and try again.');
    // Per account and region: another region still has room, and deleting one frees a place.
    await aws.client({ region: 'eu-west-1' }).send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
    await client.send(new DeleteDatasetGroupCommand({ datasetGroupArn: arns[0] }));
    await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
  });

  it('defaults to generous quotas so that test suites creating many resources just work', async () => {
    const client = generous.client();
    for (let i = 0; i < 8; i++) await client.send(new CreateDatasetGroupCommand({ name: uniqueName('g') }));
  });
});
