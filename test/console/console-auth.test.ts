// The console with OPENPERSONALIZE_CREDENTIALS set: nothing without signing in, sign-in with an
// access key pair issuing an HttpOnly session cookie, SigV4 for programs, and sessions that end
// when they expire or when their key's secret changes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import type { WhoAmI } from '../../src/console/console-api-types.ts';
import { ConsoleSessions, SIGN_IN_MAX_FAILURES } from '../../src/console/console-session.ts';
import { loadConfig } from '../../src/config/config.ts';
import type { IncomingCall } from '../../src/protocol/http-server.ts';
import { startTestService, type TestService } from '../testkit/service-harness.ts';
import { testClock } from '../testkit/test-clock.ts';

const KEY = 'AKIDCONSOLE';
const SECRET = 'console-secret';
const ACCOUNT = '123456789012';

describe('console sign-in (credentials mode)', () => {
  let svc: TestService;
  const signIn = (body: unknown, contentType = 'application/json') =>
    fetch(`${svc.endpoint}/console/api/session`, { method: 'POST', headers: { 'content-type': contentType }, body: JSON.stringify(body) });
  const whoami = (headers: Record<string, string> = {}, query = '') => fetch(`${svc.endpoint}/console/api/whoami${query}`, { headers });
  const cookieOf = (r: Response) => r.headers.get('set-cookie')!.split(';')[0];

  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_CREDENTIALS: `${KEY}:${SECRET}:${ACCOUNT},AKIDOTHER:other-secret` });
  });
  after(() => svc.close());

  it('answers 401 to every API call without a session, whatever account the query names', async () => {
    for (const path of ['whoami', 'dataset-groups', `dataset-groups?account=${ACCOUNT}`, 'datasets?group=x']) {
      const r = await fetch(`${svc.endpoint}/console/api/${path}`);
      assert.equal(r.status, 401, path);
      assert.equal(((await r.json()) as { error: string }).error, 'SignInRequired');
    }
  });

  it('refuses a wrong secret, an unknown key and a body that is not JSON', async () => {
    assert.equal((await signIn({ accessKeyId: KEY, secretAccessKey: 'wrong' })).status, 401);
    assert.equal((await signIn({ accessKeyId: 'AKIDNOBODY', secretAccessKey: SECRET })).status, 401);
    assert.equal((await signIn({ accessKeyId: KEY, secretAccessKey: SECRET }, 'text/plain')).status, 415);
    assert.equal((await signIn({ accessKeyId: KEY })).status, 400);
  });

  it('signs in with the key pair: an HttpOnly, SameSite=Strict cookie that names the key account and region', async () => {
    const r = await signIn({ accessKeyId: KEY, secretAccessKey: SECRET, region: 'eu-west-1' });
    assert.equal(r.status, 200);
    const setCookie = r.headers.get('set-cookie')!;
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    assert.match(setCookie, /Path=\/console/);
    assert.ok(!setCookie.includes(SECRET), 'the secret is not in the cookie');
    const cookie = cookieOf(r);
    const me = (await (await whoami({ cookie })).json()) as WhoAmI;
    assert.deepEqual(me, { mode: 'credentials', account: ACCOUNT, region: 'eu-west-1', accessKeyId: KEY });
    // In credentials mode the account is the key's: the query cannot pick another one.
    const still = (await (await whoami({ cookie }, '?account=000000000000&region=us-west-2')).json()) as WhoAmI;
    assert.equal(still.account, ACCOUNT);
    assert.equal(still.region, 'us-west-2');
  });

  it('refuses a tampered cookie and clears it on sign-out', async () => {
    const cookie = cookieOf(await signIn({ accessKeyId: KEY, secretAccessKey: SECRET }));
    const [name, value] = cookie.split('=');
    const [payload, mac] = value.split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), k: 'AKIDOTHER' })).toString(
      'base64url',
    );
    assert.equal((await whoami({ cookie: `${name}=${forged}.${mac}` })).status, 401);
    assert.equal((await whoami({ cookie: `${name}=${payload}.${mac.slice(0, -2)}AA` })).status, 401);
    const out = await fetch(`${svc.endpoint}/console/api/session`, { method: 'DELETE', headers: { cookie } });
    assert.match(out.headers.get('set-cookie')!, /Max-Age=0/);
  });

  it('accepts SigV4-signed calls from programs, and refuses a wrong signature', async () => {
    const url = new URL(svc.endpoint);
    const call = async (secretAccessKey: string) => {
      const signer = new SignatureV4({
        service: 'personalize',
        region: 'us-east-1',
        sha256: Sha256,
        credentials: { accessKeyId: KEY, secretAccessKey },
      });
      const signed = await signer.sign({
        method: 'GET',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/console/api/whoami',
        query: {},
        headers: { host: url.host },
      });
      return fetch(`${svc.endpoint}/console/api/whoami`, { headers: signed.headers as Record<string, string> });
    };
    const ok = await call(SECRET);
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as WhoAmI).account, ACCOUNT);
    assert.equal((await call('wrong')).status, 403);
  });
});

describe('console sessions', () => {
  const call = (cookie: string) => ({ headers: { cookie } }) as unknown as IncomingCall;
  const config = (secret: string) => loadConfig({ OPENPERSONALIZE_CREDENTIALS: `${KEY}:${secret}:${ACCOUNT}` });

  it('end after 12 hours, and at once when the key secret changes or the key is removed', () => {
    let now = 1_000_000;
    const sessions = new ConsoleSessions(config(SECRET), 'service-secret', () => now);
    const cookie = sessions.signIn(KEY, SECRET, 'us-east-1', false)!.cookie.split(';')[0];
    assert.equal(sessions.caller(call(cookie), new URLSearchParams()).account, ACCOUNT);
    now += 12 * 3600_000 + 1;
    assert.throws(() => sessions.caller(call(cookie), new URLSearchParams()), /Sign in/);
    now = 1_000_000;
    const rotated = new ConsoleSessions(config('new-secret'), 'service-secret', () => now);
    assert.throws(() => rotated.caller(call(cookie), new URLSearchParams()), /Sign in/);
    const otherService = new ConsoleSessions(config(SECRET), 'another-service-secret', () => now);
    assert.throws(() => otherService.caller(call(cookie), new URLSearchParams()), /Sign in/);
    const removed = new ConsoleSessions(loadConfig({ OPENPERSONALIZE_CREDENTIALS: 'AKIDELSE:x' }), 'service-secret', () => now);
    assert.throws(() => removed.caller(call(cookie), new URLSearchParams()), /Sign in/);
  });
});

describe('console sign-in rate limit', () => {
  const clock = testClock();
  let svc: TestService;
  const signIn = (accessKeyId: string, secretAccessKey: string) =>
    fetch(`${svc.endpoint}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ accessKeyId, secretAccessKey }),
    });
  before(async () => {
    svc = await startTestService({ OPENPERSONALIZE_CREDENTIALS: `${KEY}:${SECRET}:${ACCOUNT},AKIDOTHER:other-secret` }, { now: clock.now });
  });
  after(() => svc.close());

  it('makes a key wait after five wrong secrets in a minute, right or wrong, and only that key', async () => {
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      assert.equal((await signIn(KEY, `wrong-${i}`)).status, 401);
      clock.advance(1000);
    }
    const blocked = await signIn(KEY, SECRET);
    assert.equal(blocked.status, 429);
    // The first failure was 5 s ago: it leaves the window in 55 s.
    assert.equal(blocked.headers.get('retry-after'), '55');
    assert.match(((await blocked.json()) as { message: string }).message, /Too many wrong secrets for this access key: try again in 55 s/);
    assert.equal((await signIn('AKIDOTHER', 'other-secret')).status, 200, 'another key signs in');
    clock.advance(54_000);
    assert.equal((await signIn(KEY, SECRET)).status, 429);
    clock.advance(1000);
    assert.equal((await signIn(KEY, SECRET)).status, 200, 'the oldest failure left the window');
  });
});
