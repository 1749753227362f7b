// parseSignature's refusals and checkRequestTime's clock rules, on hand-built requests: the
// messages are meant to read like the ones AWS returns for the same mistakes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSignature } from '../../../src/protocol/sigv4/sigv4-parse.ts';
import type { AuthFailure, ParsedSignature, SignedRequest } from '../../../src/protocol/sigv4/sigv4-types.ts';
import { checkRequestTime } from '../../../src/protocol/sigv4/sigv4.ts';

const HOST = 'personalize.eu-west-1.amazonaws.com';

function parsedOk(req: SignedRequest): ParsedSignature {
  const parsed = parseSignature(req);
  assert.ok(!('code' in parsed), `parse failed: ${JSON.stringify(parsed)}`);
  return parsed;
}

// ---- parseSignature failures -----------------------------------------------------------------

const AMZ_DATE = '20240101T000000Z';
const GOOD_CRED = 'AKID/20240101/eu-west-1/personalize/aws4_request';

function withAuth(authorization: string | undefined, extra: Record<string, string> = { 'x-amz-date': AMZ_DATE }): SignedRequest {
  const headers: Record<string, string> = { host: HOST, ...extra };
  if (authorization !== undefined) headers.authorization = authorization;
  return { method: 'POST', rawPath: '/', rawQuery: '', headers, body: Buffer.alloc(0) };
}

function failure(req: SignedRequest): AuthFailure {
  const r = parseSignature(req);
  assert.ok('code' in r, 'expected a failure');
  return r;
}

function incompleteMatching(req: SignedRequest, pattern: RegExp): void {
  const f = failure(req);
  assert.equal(f.code, 'IncompleteSignatureException');
  assert.match(f.message, pattern);
}

describe('parseSignature failures', () => {
  test('no authentication at all', () => {
    const f = failure(withAuth(undefined));
    assert.equal(f.code, 'MissingAuthenticationTokenException');
    assert.match(f.message, /missing Authentication Token/);
  });

  test('missing Credential, Signature, SignedHeaders, date', () => {
    const h = `AWS4-HMAC-SHA256 Credential=${GOOD_CRED}, SignedHeaders=host;x-amz-date, Signature=abc`;
    incompleteMatching(withAuth(h.replace(/Credential=[^,]*, /, '')), /requires 'Credential' parameter/);
    incompleteMatching(withAuth(h.replace(/, Signature=abc/, '')), /requires 'Signature' parameter/);
    incompleteMatching(withAuth(h.replace(/SignedHeaders=[^,]*, /, '')), /requires 'SignedHeaders' parameter/);
    incompleteMatching(withAuth(h, {}), /either a 'X-Amz-Date' or a 'Date' header/);
    const f = failure(withAuth('AWS4-HMAC-SHA256 ', {}));
    assert.match(f.message, /'Credential'.*'Signature'.*'SignedHeaders'.*'Date' header\. Authorization=/);
  });

  test('wrong algorithm and malformed pairs', () => {
    const rest = `Credential=${GOOD_CRED}, SignedHeaders=host, Signature=abc`;
    incompleteMatching(withAuth(`AWS4-HMAC-SHA512 ${rest}`), /Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'/);
    incompleteMatching(withAuth(`Bearer eyJhbGciOi`), /not a valid key=value pair|algorithm/);
    incompleteMatching(withAuth(`AWS4-HMAC-SHA256 Credential= AKID/20240101/x/y/aws4_request`), /not a valid key=value pair/);
  });

  test('bad credential scope', () => {
    const auth = (cred: string) => withAuth(`AWS4-HMAC-SHA256 Credential=${cred}, SignedHeaders=host, Signature=abc`);
    incompleteMatching(auth('AKID/20240101/eu-west-1/personalize'), /exactly 5 slash-delimited elements/);
    incompleteMatching(auth('AKID/20240101/eu-west-1/personalize/aws4_request/x'), /exactly 5 slash-delimited elements/);
    incompleteMatching(auth('AKID/20240101/eu-west-1/personalize/aws5_request'), /valid terminator: 'aws4_request', not 'aws5_request'/);
    incompleteMatching(auth('AKID/2024-01-01/eu-west-1/personalize/aws4_request'), /credential date/);
    incompleteMatching(auth('AKID/20240101//personalize/aws4_request'), /valid region/);
    incompleteMatching(auth('/20240101/eu-west-1/personalize/aws4_request'), /access key/);
    const other = failure(auth('AKID/20240102/eu-west-1/personalize/aws4_request'));
    assert.equal(other.code, 'InvalidSignatureException');
    assert.match(other.message, /'20240102' != '20240101', from '20240101T000000Z'/);
  });

  test('bad X-Amz-Date and both auth forms at once', () => {
    const h = `AWS4-HMAC-SHA256 Credential=${GOOD_CRED}, SignedHeaders=host, Signature=abc`;
    incompleteMatching(withAuth(h, { 'x-amz-date': '2024-01-01T00:00:00Z' }), /ISO-8601 'basic format'/);
    incompleteMatching(withAuth(h, { 'x-amz-date': '20241301T000000Z' }), /ISO-8601 'basic format'/);
    incompleteMatching({ ...withAuth(h), rawQuery: 'X-Amz-Algorithm=AWS4-HMAC-SHA256' }, /Only one auth mechanism/);
  });

  test('presigned query missing parameters or with a bad expiry', () => {
    const q = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(GOOD_CRED)}&X-Amz-Date=${AMZ_DATE}&X-Amz-SignedHeaders=host&X-Amz-Signature=abc`;
    const presigned = (rawQuery: string) => ({ ...withAuth(undefined, {}), rawQuery });
    const ok = parsedOk(presigned(`${q}&X-Amz-Expires=60`));
    assert.deepEqual(ok.credential, { accessKeyId: 'AKID', date: '20240101', region: 'eu-west-1', service: 'personalize' });
    assert.equal(ok.expiresSeconds, 60);
    incompleteMatching(presigned(q.replace(/&X-Amz-Date=[^&]*/, '')), /must include 'X-Amz-Date'/);
    incompleteMatching(presigned(q.replace(/&X-Amz-SignedHeaders=[^&]*/, '')), /must include 'X-Amz-SignedHeaders'/);
    incompleteMatching(presigned(q.replace('HMAC-SHA256', 'HMAC-SHA1')), /only supports "AWS4-HMAC-SHA256"/);
    incompleteMatching(presigned(`${q}&X-Amz-Expires=604801`), /less than a week/);
    incompleteMatching(presigned(`${q}&X-Amz-Expires=soon`), /should be a number/);
  });
});

// ---- checkRequestTime ------------------------------------------------------------------------

describe('checkRequestTime', () => {
  const now = new Date('2024-01-01T00:30:00Z');
  const at = (iso: string, extra: Partial<ParsedSignature> = {}): ParsedSignature => ({
    credential: { accessKeyId: 'AKID', date: '20240101', region: 'eu-west-1', service: 'personalize' },
    signedHeaders: ['host'],
    signature: 'abc',
    requestTime: new Date(iso),
    presigned: false,
    ...extra,
  });

  test('within 15 minutes either way is accepted', () => {
    assert.equal(checkRequestTime(at('2024-01-01T00:15:00Z'), now), undefined);
    assert.equal(checkRequestTime(at('2024-01-01T00:45:00Z'), now), undefined);
    assert.equal(checkRequestTime(at('2024-01-01T00:29:00Z'), now), undefined);
  });

  test('16 minutes off either way is refused, with AWS-style messages', () => {
    const late = checkRequestTime(at('2024-01-01T00:14:00Z'), now);
    assert.deepEqual(late, {
      code: 'InvalidSignatureException',
      message: 'Signature expired: 20240101T001400Z is now earlier than 20240101T001500Z (20240101T003000Z - 15 min.)',
    });
    const early = checkRequestTime(at('2024-01-01T00:46:00Z'), now);
    assert.equal(early?.code, 'InvalidSignatureException');
    assert.match(early?.message ?? '', /not yet current: 20240101T004600Z is still later than 20240101T004500Z/);
    assert.equal(checkRequestTime(at('2024-01-01T00:00:00Z'), now, 60 * 60 * 1000), undefined, 'custom skew');
  });

  test('presigned requests live until their expiry, and no longer', () => {
    const signedAt = '2024-01-01T00:00:00Z';
    assert.equal(checkRequestTime(at(signedAt, { presigned: true, expiresSeconds: 3600 }), now), undefined);
    const gone = checkRequestTime(at(signedAt, { presigned: true, expiresSeconds: 600 }), now);
    assert.equal(gone?.code, 'InvalidSignatureException');
    assert.match(gone?.message ?? '', /Signature expired: 20240101T000000Z is now earlier than 20240101T002000Z/);
    const future = checkRequestTime(at('2024-01-01T01:00:00Z', { presigned: true, expiresSeconds: 3600 }), now);
    assert.equal(future?.code, 'InvalidSignatureException');
  });
});
