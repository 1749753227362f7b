// SigV4 enforcement and account/region isolation, through the AWS SDK for JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CreateSchemaCommand, DescribeSchemaCommand, ListSchemasCommand } from '@aws-sdk/client-personalize';
import { errorOf, startTestService, uniqueName, type TestService } from '../testkit/service-harness.ts';
import { minimalSchemas } from '../testkit/schemas.ts';

describe('authentication on (OPENPERSONALIZE_CREDENTIALS set)', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_CREDENTIALS: 'AKIDALICE:alice-secret:111111111111,AKIDBOB:bob-secret:222222222222' });
  });
  after(() => svc.close());

  it('accepts a valid signature and puts the resource in the key account and the signed region', async () => {
    const alice = svc.client({ accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret', region: 'eu-west-1' });
    const name = uniqueName('a');
    const { schemaArn } = await alice.send(new CreateSchemaCommand({ name, schema: minimalSchemas.items }));
    assert.equal(schemaArn, `arn:aws:personalize:eu-west-1:111111111111:schema/${name}`);
  });

  it('refuses an unknown key (UnrecognizedClientException, 403)', async () => {
    const e = await errorOf(() => svc.client({ accessKeyId: 'AKIDEVE', secretAccessKey: 'x' }).send(new ListSchemasCommand({})));
    assert.equal(e.name, 'UnrecognizedClientException');
    assert.equal(e.$metadata?.httpStatusCode, 403);
  });

  it('refuses a bad signature (InvalidSignatureException, 403)', async () => {
    const e = await errorOf(() => svc.client({ accessKeyId: 'AKIDALICE', secretAccessKey: 'wrong' }).send(new ListSchemasCommand({})));
    assert.equal(e.name, 'InvalidSignatureException');
    assert.equal(e.$metadata?.httpStatusCode, 403);
  });

  it('refuses a request without authentication (MissingAuthenticationTokenException, 403)', async () => {
    const res = await fetch(svc.endpoint, {
      method: 'POST',
      headers: { 'x-amz-target': 'AmazonPersonalize.ListSchemas', 'content-type': 'application/x-amz-json-1.1' },
      body: '{}',
    });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');
  });

  it('refuses a request signed more than 15 minutes away from the server clock', async () => {
    const skewed = svc.client({ accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret' });
    skewed.config.systemClockOffset = -20 * 60 * 1000;
    const e = await errorOf(() => skewed.send(new ListSchemasCommand({})));
    assert.equal(e.$metadata?.httpStatusCode, 403);
    assert.match(e.message, /expired|skew|time/i);
  });

  it('accepts the presigned query form, and refuses it tampered', async () => {
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const signer = new SignatureV4({
      service: 'personalize',
      region: 'us-east-1',
      sha256: Sha256,
      credentials: { accessKeyId: 'AKIDBOB', secretAccessKey: 'bob-secret' },
    });
    const url = new URL(svc.endpoint);
    const body = '{}';
    const request = {
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.ListSchemas' },
      body,
    };
    const presigned = await signer.presign(request, { expiresIn: 300 });
    const qs = new URLSearchParams(presigned.query as Record<string, string>).toString();
    const send = (query: string) =>
      fetch(`${svc.endpoint}/?${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonPersonalize.ListSchemas' },
        body,
      });
    const ok = await send(qs);
    assert.equal(ok.status, 200, await ok.clone().text());
    const tampered = await send(qs.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`));
    assert.equal(tampered.status, 403);
    assert.equal(((await tampered.json()) as { __type: string }).__type, 'InvalidSignatureException');
  });

  it('keeps accounts apart', async () => {
    const alice = svc.client({ accessKeyId: 'AKIDALICE', secretAccessKey: 'alice-secret' });
    const bob = svc.client({ accessKeyId: 'AKIDBOB', secretAccessKey: 'bob-secret' });
    const { schemaArn } = await alice.send(new CreateSchemaCommand({ name: uniqueName('mine'), schema: minimalSchemas.items }));
    const e = await errorOf(() => bob.send(new DescribeSchemaCommand({ schemaArn })));
    assert.equal(e.name, 'ResourceNotFoundException');
    const bobs = await bob.send(new ListSchemasCommand({}));
    assert.equal(
      bobs.schemas?.some((s) => s.schemaArn === schemaArn),
      false,
    );
  });
});

describe('open mode (no credentials configured)', () => {
  let svc: TestService;
  before(async () => {
    svc = await startTestService();
  });
  after(() => svc.close());

  it('takes the account from a 12-digit access key and keeps regions apart', async () => {
    const east = svc.client({ accessKeyId: '123456789012', region: 'us-east-1' });
    const west = svc.client({ accessKeyId: '123456789012', region: 'us-west-2' });
    const name = uniqueName('r');
    const { schemaArn } = await east.send(new CreateSchemaCommand({ name, schema: minimalSchemas.items }));
    assert.equal(schemaArn, `arn:aws:personalize:us-east-1:123456789012:schema/${name}`);
    const e = await errorOf(() => west.send(new DescribeSchemaCommand({ schemaArn })));
    assert.equal(e.name, 'ResourceNotFoundException');
    // The same name is free in another region: ARNs carry the region.
    const other = await west.send(new CreateSchemaCommand({ name, schema: minimalSchemas.items }));
    assert.equal(other.schemaArn, `arn:aws:personalize:us-west-2:123456789012:schema/${name}`);
  });

  it('uses account 000000000000 for other access keys', async () => {
    const { schemaArn } = await svc
      .client({ accessKeyId: 'AKIDANY' })
      .send(new CreateSchemaCommand({ name: uniqueName('d'), schema: minimalSchemas.items }));
    assert.match(schemaArn!, /:000000000000:schema\//);
  });
});
