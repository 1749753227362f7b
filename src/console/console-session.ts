// Who is using the console.
//
// Open mode (no OPENPERSONALIZE_CREDENTIALS): anyone; account and region come from the query
// (?account=, ?region=), defaulting to 000000000000 and the default region, as unsigned API calls do.
//
// Credentials mode: POST /console/api/session with an access key pair checks it against the
// configured keys and sets an HMAC-signed session cookie. This is simpler and safer than signing
// every call with SigV4 in the browser, which would keep the secret key in page storage where any
// injected script could read it: here the secret crosses the wire once and is never stored. The
// cookie is HttpOnly and SameSite=Strict (no cross-site use, no script access) and its MAC covers
// a hash of the key's current secret, so removing or rotating a key ends its sessions at once.
// Programs may instead sign each /console/api call with SigV4, exactly as for the API.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingCall } from '../protocol/http-server.ts';
import { DEFAULT_ACCOUNT, type Config, type Credential } from '../config/config.ts';

export const COOKIE = 'openpersonalize_console';
export const SESSION_HOURS = 12;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

export interface ConsoleCaller {
  account: string;
  region: string;
  accessKeyId?: string;
}

/** An answer other than 200 from the console API: 400 bad query, 401 not signed in, 404 not found. */
export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64url');

/** Wrong secrets for one access key id within the window before sign-in waits (brute force). */
export const SIGN_IN_MAX_FAILURES = 5;
export const SIGN_IN_WINDOW_MS = 60_000;

/**
 * Failed sign-ins per access key id: after SIGN_IN_MAX_FAILURES within SIGN_IN_WINDOW_MS, every
 * attempt for that key, right or wrong, waits until the oldest of them leaves the window. Per key
 * (not per address) so that spreading guesses over addresses gains nothing; memory is bounded by
 * dropping keys whose failures all left the window.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  private recent(accessKeyId: string): number[] {
    const since = this.now() - SIGN_IN_WINDOW_MS;
    const kept = (this.failures.get(accessKeyId) ?? []).filter((t) => t > since);
    if (kept.length > 0) this.failures.set(accessKeyId, kept);
    else this.failures.delete(accessKeyId);
    return kept;
  }

  /** Milliseconds the key must wait before its next attempt; 0 when it may try now. */
  waitMs(accessKeyId: string): number {
    const recent = this.recent(accessKeyId);
    if (recent.length < SIGN_IN_MAX_FAILURES) return 0;
    return recent[recent.length - SIGN_IN_MAX_FAILURES] + SIGN_IN_WINDOW_MS - this.now();
  }

  failed(accessKeyId: string): void {
    this.failures.set(accessKeyId, [...this.recent(accessKeyId), this.now()]);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }
}

export class ConsoleSessions {
  private readonly key: Buffer;

  constructor(
    private readonly config: Config,
    serviceSecret: string,
    private readonly now: () => number = Date.now,
  ) {
    // A key of its own, derived from the service secret, so a session MAC can never be confused
    // with a pagination token signed by the same secret.
    this.key = createHmac('sha256', serviceSecret).update('openpersonalize console session v1').digest();
  }

  private mac(payload: string, credential: Credential): Buffer {
    const secretHash = createHash('sha256').update(credential.secretAccessKey).digest('hex');
    return createHmac('sha256', this.key).update(`${payload}\n${secretHash}`).digest();
  }

  /** Checks the pair; returns the Set-Cookie value of a new session, or undefined if it is wrong. */
  signIn(
    accessKeyId: string,
    secretAccessKey: string,
    region: string,
    secure: boolean,
  ): { cookie: string; caller: ConsoleCaller } | undefined {
    const known = this.config.credentials?.find((c) => c.accessKeyId === accessKeyId);
    // Compare hashes so the comparison is constant-time whatever the lengths.
    const digest = (s: string) => createHash('sha256').update(s).digest();
    const ok = known !== undefined && timingSafeEqual(digest(known.secretAccessKey), digest(secretAccessKey));
    if (!known || !ok) return undefined;
    const payload = b64(JSON.stringify({ k: accessKeyId, r: region, exp: this.now() + SESSION_HOURS * 3600_000 }));
    const value = `${payload}.${b64(this.mac(payload, known))}`;
    const attrs = `Path=/console; HttpOnly; SameSite=Strict; Max-Age=${SESSION_HOURS * 3600}${secure ? '; Secure' : ''}`;
    return { cookie: `${COOKIE}=${value}; ${attrs}`, caller: { account: known.account, region, accessKeyId } };
  }

  signOutCookie(): string {
    return `${COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`;
  }

  private fromCookie(header: string | undefined): ConsoleCaller | undefined {
    const raw = header
      ?.split(/;\s*/)
      .find((c) => c.startsWith(`${COOKIE}=`))
      ?.slice(COOKIE.length + 1);
    const [payload, mac] = raw?.split('.') ?? [];
    if (!payload || !mac) return undefined;
    let data: { k?: unknown; r?: unknown; exp?: unknown };
    try {
      data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return undefined;
    }
    const known = this.config.credentials?.find((c) => c.accessKeyId === data.k);
    if (!known || typeof data.r !== 'string' || typeof data.exp !== 'number' || data.exp < this.now()) return undefined;
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(payload, known);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return { account: known.account, region: data.r, accessKeyId: known.accessKeyId };
  }

  /** The caller of a console API call; throws ConsoleError(401) when credentials are required and missing. */
  caller(call: IncomingCall, query: URLSearchParams): ConsoleCaller {
    const region = query.get('region');
    if (region !== null && !REGION.test(region)) throw new ConsoleError(400, `'${region}' is not a region name like us-east-1.`);
    if (!this.config.credentials) {
      const account = query.get('account') ?? DEFAULT_ACCOUNT;
      if (!/^\d{12}$/.test(account)) throw new ConsoleError(400, `'${account}' is not a 12-digit account.`);
      return { account, region: region ?? this.config.defaultRegion };
    }
    if (call.headers.authorization) {
      const c = call.authenticate(); // SigV4, as the API; throws a 403 ServiceError if wrong
      return { account: c.account, region: region ?? c.region, accessKeyId: c.accessKeyId };
    }
    const session = this.fromCookie(call.headers.cookie);
    if (!session) throw new ConsoleError(401, 'Sign in with an access key pair.');
    return { ...session, region: region ?? session.region };
  }
}

export const isRegion = (s: string) => REGION.test(s);
