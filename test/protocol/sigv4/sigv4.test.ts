// The verifier is checked against real client signatures: @smithy/signature-v4 (what the JS SDK
// uses), the Personalize JS client end to end, and botocore. Requests travel over a local HTTP
// socket, so the verifier sees them the way the server will: raw path, raw query, node's headers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ListDatasetGroupsCommand, PersonalizeClient } from '@aws-sdk/client-personalize';
import { parseSignature } from '../../../src/protocol/sigv4/sigv4-parse.ts';
import type { ParsedSignature, SignedRequest } from '../../../src/protocol/sigv4/sigv4-types.ts';
import { verifySignature } from '../../../src/protocol/sigv4/sigv4.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const HOST = 'personalize.eu-west-1.amazonaws.com';
const signer = new SignatureV4({
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
  region: 'eu-west-1',
  service: 'personalize',
  sha256: Sha256,
});

// ---- a socket to send signed requests through -------------------------------------------------

let server: Server;
let port = 0;
const waiting: Array<(r: SignedRequest) => void> = [];

function capture(req: IncomingMessage, body: Buffer): SignedRequest {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return {
    method: req.method ?? '',
    rawPath: q < 0 ? url : url.slice(0, q),
    rawQuery: q < 0 ? '' : url.slice(q + 1),
    headers: req.headers,
    body,
  };
}

before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      waiting.shift()?.(capture(req, Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"datasetGroups":[]}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
after(() => server.close());

const nextRequest = () => new Promise<SignedRequest>((resolve) => waiting.push(resolve));

type SmithyRequest = NonNullable<ConstructorParameters<typeof HttpRequest>[0]>;

async function viaSmithy(signed: SmithyRequest): Promise<SignedRequest> {
  const got = nextRequest();
  const { response } = await new NodeHttpHandler().handle(new HttpRequest({ ...signed, hostname: '127.0.0.1', port }));
  (response.body as IncomingMessage).resume();
  return got;
}

async function viaRawHttp(method: string, url: URL, headers: Record<string, string>, body: Buffer): Promise<SignedRequest> {
  const got = nextRequest();
  await new Promise<void>((resolve, reject) => {
    const path = url.pathname + url.search;
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers: { host: url.host, ...headers } }, (res) => {
      res.resume().on('end', resolve);
    });
    req.on('error', reject).end(body);
  });
  return got;
}

// ---- assertions shared by every real signature -------------------------------------------------

function parsedOk(req: SignedRequest): ParsedSignature {
  const parsed = parseSignature(req);
  assert.ok(!('code' in parsed), `parse failed: ${JSON.stringify(parsed)}`);
  return parsed;
}

const verifies = (req: SignedRequest, secret = SECRET) => verifySignature(req, parsedOk(req), secret);

function assertGenuineAndTamperProof(req: SignedRequest, header: string, secret = SECRET): void {
  const parsed = parsedOk(req);
  assert.equal(verifySignature(req, parsed, secret), true, 'genuine request must verify');
  assert.equal(verifySignature(req, parsed, secret + 'x'), false, 'wrong secret');
  const body = Buffer.concat([req.body, Buffer.from(' ')]);
  assert.equal(verifySignature({ ...req, body }, parsed, secret), false, 'tampered body');
  assert.ok(parsed.signedHeaders.includes(header), `${header} should be signed`);
  const headers = { ...req.headers, [header]: `${String(req.headers[header])}x` };
  assert.equal(verifySignature({ ...req, headers }, parsed, secret), false, `tampered ${header}`);
  const rawQuery = req.rawQuery === '' ? 'extra=1' : req.rawQuery.replace(/=([^&]*)/, '=$1x');
  assert.equal(verifySignature({ ...req, rawQuery }, parsed, secret), false, 'tampered query');
  assert.equal(verifySignature({ ...req, method: 'PUT' }, parsed, secret), false, 'tampered method');
}

function post(path: string, body: string, headers: Record<string, string>, query?: Record<string, string | string[]>) {
  return new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: HOST,
    path,
    query,
    headers: { host: HOST, 'content-type': 'application/x-amz-json-1.1', ...headers },
    body,
  });
}

// ---- 1. @smithy/signature-v4 --------------------------------------------------------------------

describe('signatures from @smithy/signature-v4', () => {
  test('JSON 1.1 POST to /', async () => {
    const target = { 'x-amz-target': 'AmazonPersonalize.ListDatasetGroups' };
    const req = await viaSmithy(await signer.sign(post('/', '{"maxResults":5}', target)));
    assert.equal(req.rawPath, '/');
    assertGenuineAndTamperProof(req, 'x-amz-target');
    assertGenuineAndTamperProof(req, 'host');
  });

  test('rest-json POST to /events', async () => {
    const body = '{"trackingId":"t","sessionId":"s","eventList":[]}';
    const req = await viaSmithy(await signer.sign(post('/events', body, { 'content-type': 'application/json' })));
    assert.equal(req.rawPath, '/events');
    assertGenuineAndTamperProof(req, 'content-type');
  });

  test('a path needing encoding, as the SDK sends it (labels already percent-encoded)', async () => {
    const path = '/a%20b/./c%2F/%E2%82%AC(x)/';
    const req = await viaSmithy(await signer.sign(post(path, '{}', {})));
    assert.equal(req.rawPath, path);
    assertGenuineAndTamperProof(req, 'host');
    assert.equal(verifies({ ...req, rawPath: '/a%20b/c%2F/%E2%82%AC(x)/' }), true, 'dot segments are normalised away');
    assert.equal(verifies({ ...req, rawPath: '/a%20b/c/%2F/%E2%82%AC(x)/' }), false, 'an encoded slash is not a slash');
  });

  test("a raw path such as '/a b/c%2F' is encoded the way the signer encodes it", async () => {
    const signed = await signer.sign(post('/a b/c%2F', '{}', {}));
    const req: SignedRequest = { method: 'POST', rawPath: '/a b/c%2F', rawQuery: '', headers: signed.headers, body: Buffer.from('{}') };
    assertGenuineAndTamperProof(req, 'host');
  });

  test('a query with repeated keys and reserved characters', async () => {
    const query = { b: ['2', '10', '1'], a: 'x y+z', 'c!*': "'()/?&=", 'z~': 'é€', empty: '' };
    const req = await viaSmithy(await signer.sign(post('/events', '{}', {}, query)));
    assert.match(req.rawQuery, /b=2&b=10&b=1/);
    assertGenuineAndTamperProof(req, 'content-type');
    const reordered = req.rawQuery.split('&').reverse().join('&');
    assert.equal(verifies({ ...req, rawQuery: reordered }), true, 'parameter order on the wire does not matter');
    assert.equal(verifies({ ...req, rawQuery: `${req.rawQuery}&b=3` }), false, 'an added repeat');
  });

  test('a presigned request (signer.presign)', async () => {
    const target = { 'x-amz-target': 'AmazonPersonalize.ListDatasetGroups' };
    const presigned = await signer.presign(post('/', '{"maxResults":5}', target), { expiresIn: 900 });
    assert.equal(presigned.headers.authorization, undefined);
    const req = await viaSmithy(presigned);
    const parsed = parsedOk(req);
    assert.equal(parsed.presigned, true);
    assert.equal(parsed.expiresSeconds, 900);
    assert.match(req.rawQuery, /x-amz-target=/, 'x-amz-* headers are hoisted into the query');
    assertGenuineAndTamperProof(req, 'content-type');
    const longer = req.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=3600');
    assert.equal(verifies({ ...req, rawQuery: longer }), false, 'the expiry is signed');
  });

  test('a presigned GET without a body', async () => {
    const get = new HttpRequest({
      method: 'GET',
      protocol: 'http:',
      hostname: HOST,
      path: '/x',
      query: { k: 'v' },
      headers: { host: HOST },
    });
    const req = await viaSmithy(await signer.presign(get));
    assertGenuineAndTamperProof(req, 'host');
  });

  test('a presign over an undeclared UNSIGNED-PAYLOAD (S3 style) binds all but the body', async () => {
    const hidden = new Set(['x-amz-content-sha256']);
    const original = post('/events', '{"a":1}', { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' });
    const presigned = await signer.presign(original, { unhoistableHeaders: hidden, unsignableHeaders: hidden });
    delete presigned.headers['x-amz-content-sha256'];
    const req = await viaSmithy(presigned);
    assert.equal(verifies(req), true);
    assert.equal(verifies({ ...req, body: Buffer.from('{"a":2}') }), true, 'the client chose not to sign the body');
    assert.equal(verifies(req, 'wrong'), false);
    assert.equal(verifies({ ...req, rawQuery: req.rawQuery.replace('X-Amz-Expires=3600', 'X-Amz-Expires=60') }), false);
  });
});

test('the Personalize JS client, end to end over HTTP', async () => {
  const client = new PersonalizeClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: 'AKIDCLIENT', secretAccessKey: SECRET },
  });
  const got = nextRequest();
  await client.send(new ListDatasetGroupsCommand({ maxResults: 7 }));
  const req = await got;
  assert.equal(parsedOk(req).credential.accessKeyId, 'AKIDCLIENT');
  assert.equal(parsedOk(req).credential.service, 'personalize');
  assertGenuineAndTamperProof(req, 'x-amz-target');
  client.destroy();
});

// ---- 2. botocore --------------------------------------------------------------------------------

const BOTO_SCRIPT = `
import json, sys, base64
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
creds = Credentials('AKIDBOTO', sys.argv[1])
out = []
for case in json.load(sys.stdin):
    req = AWSRequest(method=case['method'], url=case['url'], data=case['body'].encode(), headers=case['headers'])
    if case.get('presign'):
        SigV4QueryAuth(creds, 'personalize', 'eu-west-1', expires=case['presign']).add_auth(req)
    else:
        SigV4Auth(creds, 'personalize', 'eu-west-1').add_auth(req)
    p = req.prepare()
    body = p.body.encode() if isinstance(p.body, str) else (p.body or b'')
    out.append({'method': p.method, 'url': p.url, 'headers': dict(p.headers.items()), 'body': base64.b64encode(body).decode()})
print(json.dumps(out))
`;

interface BotoCase {
  method: string;
  url: string;
  body: string;
  headers: Record<string, string>;
  presign?: number;
}
interface BotoSigned {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

function botocoreSign(cases: BotoCase[]): BotoSigned[] {
  const r = spawnSync('python3', ['-c', BOTO_SCRIPT, SECRET], { input: JSON.stringify(cases), encoding: 'utf8' });
  // A missing python3 or botocore must fail the suite: the second signer is part of what is proven.
  assert.ifError(r.error);
  assert.equal(r.status, 0, `python3/botocore signer failed (is botocore installed?):\n${r.stderr}`);
  return JSON.parse(r.stdout) as BotoSigned[];
}

test('signatures from botocore', async () => {
  const base = `https://${HOST}`;
  const json = { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AmazonPersonalize.ListDatasetGroups' };
  const signed = botocoreSign([
    { method: 'POST', url: `${base}/`, body: '{"maxResults":5}', headers: json },
    { method: 'POST', url: `${base}/a%20b/c%2F?y=a%2Fb&x=1&x=0`, body: '{"a":1}', headers: json },
    { method: 'POST', url: `${base}/`, body: '{}', headers: { ...json, Date: 'now' } },
    { method: 'GET', url: `${base}/x?k=v`, body: '', headers: {}, presign: 300 },
  ]);
  const reqs: SignedRequest[] = [];
  for (const s of signed) {
    reqs.push(await viaRawHttp(s.method, new URL(s.url), s.headers, Buffer.from(s.body, 'base64')));
  }
  const [plain, encoded, dated, presigned] = reqs;
  assert.deepEqual(parsedOk(plain).signedHeaders, ['content-type', 'host', 'x-amz-date', 'x-amz-target']);
  assertGenuineAndTamperProof(plain, 'x-amz-date');
  assertGenuineAndTamperProof(encoded, 'content-type');
  assert.ok(parsedOk(dated).signedHeaders.includes('date'), 'botocore signs the Date header when given one');
  assertGenuineAndTamperProof(dated, 'date');
  assert.equal(parsedOk(presigned).presigned, true);
  assertGenuineAndTamperProof(presigned, 'host');
});

// ---- 3. constant-time comparison (parse failures and clock checks: sigv4-parse.test.ts) ----------------------------------------------------------------

test('a signature of another length or case is handled without throwing', async () => {
  const req = await viaSmithy(await signer.sign(post('/', '{}', {})));
  const parsed = parsedOk(req);
  for (const signature of ['', 'abc', `${parsed.signature}00`, 'z'.repeat(64), 'é'.repeat(32)]) {
    assert.equal(verifySignature(req, { ...parsed, signature }, SECRET), false, signature);
  }
  assert.equal(verifySignature(req, { ...parsed, signature: parsed.signature.toUpperCase() }, SECRET), true);
  const declared = { ...req.headers, 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' };
  assert.equal(verifySignature({ ...req, headers: declared }, parsed, SECRET), false, 'unsupported payload mode');
});
