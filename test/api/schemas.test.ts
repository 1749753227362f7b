// Schemas through the AWS SDK for JavaScript against the running server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CreateDatasetCommand,
  CreateSchemaCommand,
  DeleteSchemaCommand,
  DescribeSchemaCommand,
  ListSchemasCommand,
  PersonalizeClient,
} from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';
import { activeGroup } from '../testkit/resources.ts';

describe('schemas', () => {
  let svc: TestService;
  let client: PersonalizeClient;
  before(async () => {
    svc = await startTestService();
    client = svc.client();
  });
  after(() => svc.close());

  it('creates, describes, lists and deletes a schema', async () => {
    const name = uniqueName('s');
    const before = Date.now() / 1000;
    const { schemaArn } = await client.send(new CreateSchemaCommand({ name, schema: minimalSchemas.interactions }));
    assert.equal(schemaArn, `arn:aws:personalize:us-east-1:000000000000:schema/${name}`);
    const { schema } = await client.send(new DescribeSchemaCommand({ schemaArn }));
    assert.equal(schema?.name, name);
    assert.equal(schema?.schema, minimalSchemas.interactions);
    assert.equal(schema?.domain, undefined);
    assert.ok(schema?.creationDateTime instanceof Date);
    assert.ok(Math.abs(schema!.creationDateTime!.getTime() / 1000 - before) < 5);
    const listed = await client.send(new ListSchemasCommand({}));
    const summary = listed.schemas?.find((s) => s.schemaArn === schemaArn);
    assert.ok(summary, 'the new schema is listed');
    assert.equal(summary.name, name);
    assert.equal('schema' in summary, false, 'summaries carry no schema body');
    await client.send(new DeleteSchemaCommand({ schemaArn }));
    const e = await errorOf(() => client.send(new DescribeSchemaCommand({ schemaArn })));
    assert.equal(e.name, 'ResourceNotFoundException');
    assert.match(e.message, new RegExp(name));
  });

  it('keeps the domain of a domain schema', async () => {
    const ecommerce = JSON.stringify({
      type: 'record',
      name: 'Interactions',
      namespace: 'com.amazonaws.personalize.schema',
      version: '1.0',
      fields: [
        { name: 'USER_ID', type: 'string' },
        { name: 'ITEM_ID', type: 'string' },
        { name: 'TIMESTAMP', type: 'long' },
        { name: 'EVENT_TYPE', type: 'string' },
      ],
    });
    const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('d'), schema: ecommerce, domain: 'ECOMMERCE' }));
    const { schema } = await client.send(new DescribeSchemaCommand({ schemaArn }));
    assert.equal(schema?.domain, 'ECOMMERCE');
  });

  it('refuses a duplicate name with ResourceAlreadyExistsException', async () => {
    const name = uniqueName('dup');
    await client.send(new CreateSchemaCommand({ name, schema: minimalSchemas.items }));
    const e = await errorOf(() => client.send(new CreateSchemaCommand({ name, schema: minimalSchemas.items })));
    assert.equal(e.name, 'ResourceAlreadyExistsException');
    assert.equal(e.$metadata?.httpStatusCode, 400);
  });

  it('refuses a bad schema with InvalidInputException saying what is wrong', async () => {
    const noItemId = JSON.stringify({
      type: 'record',
      name: 'Interactions',
      fields: [
        { name: 'USER_ID', type: 'string' },
        { name: 'TIMESTAMP', type: 'long' },
      ],
    });
    const e = await errorOf(() => client.send(new CreateSchemaCommand({ name: uniqueName('bad'), schema: noItemId })));
    assert.equal(e.name, 'InvalidInputException');
    assert.match(e.message, /ITEM_ID/);
    const notJson = await errorOf(() => client.send(new CreateSchemaCommand({ name: uniqueName('bad'), schema: '{not json' })));
    assert.equal(notJson.name, 'InvalidInputException');
  });

  it('refuses a bad name with a ValidationException naming the member and the pattern', async () => {
    const e = await errorOf(() => client.send(new CreateSchemaCommand({ name: 'bad name!', schema: minimalSchemas.items })));
    assert.equal(e.name, 'ValidationException');
    assert.equal(
      e.message,
      "1 validation error detected: Value 'bad name!' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*",
    );
  });

  it('reports every violated constraint at once', async () => {
    const e = await errorOf(() => client.send(new CreateSchemaCommand({ name: 'x'.repeat(64), schema: 'y'.repeat(20_001) })));
    assert.equal(e.name, 'ValidationException');
    assert.match(e.message, /^2 validation errors detected: /);
    assert.match(e.message, /at 'name' failed to satisfy constraint: Member must have length less than or equal to 63/);
    assert.match(e.message, /at 'schema' failed to satisfy constraint: Member must have length less than or equal to 20000/);
  });

  it('refuses to delete a schema that a dataset uses (ResourceInUseException)', async () => {
    const { schemaArn } = await client.send(new CreateSchemaCommand({ name: uniqueName('used'), schema: minimalSchemas.users }));
    const datasetGroupArn = await activeGroup(client);
    await client.send(new CreateDatasetCommand({ name: uniqueName('ds'), schemaArn, datasetGroupArn, datasetType: 'Users' }));
    const e = await errorOf(() => client.send(new DeleteSchemaCommand({ schemaArn })));
    assert.equal(e.name, 'ResourceInUseException');
    assert.match(e.message, /dataset/);
  });

  it('answers ResourceNotFoundException for a schema that never existed', async () => {
    const e = await errorOf(() =>
      client.send(new DeleteSchemaCommand({ schemaArn: 'arn:aws:personalize:us-east-1:000000000000:schema/nope' })),
    );
    assert.equal(e.name, 'ResourceNotFoundException');
  });
});
