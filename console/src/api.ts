// Calls to /console/api. The session cookie (credentials mode) travels by itself; account and
// region chosen in the header bar (open mode) or at sign-in ride along as query parameters.

export class SignInRequired extends Error {}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const scope: { account?: string; region?: string } = {};

export async function get<T>(path: string, params: Record<string, string | number> = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) q.set(k, String(v));
  if (scope.region) q.set('region', scope.region);
  if (scope.account) q.set('account', scope.account);
  const r = await fetch(`/console/api/${path}?${q}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body = (await r.json().catch(() => ({}))) as { message?: string };
  if (r.status === 401) throw new SignInRequired(body.message ?? 'Sign in');
  if (!r.ok) throw new ApiFailure(r.status, body.message ?? `HTTP ${r.status}`);
  return body as T;
}

/** A JSON POST (try-it): the same scope and errors as get(). */
export async function post<T>(path: string, body: unknown): Promise<T> {
  const q = new URLSearchParams();
  if (scope.region) q.set('region', scope.region);
  if (scope.account) q.set('account', scope.account);
  const r = await fetch(`/console/api/${path}?${q}`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await r.json().catch(() => ({}))) as { message?: string; error?: string };
  if (r.status === 401) throw new SignInRequired(answer.message ?? 'Sign in');
  if (!r.ok) throw new ApiFailure(r.status, answer.error ? `${answer.error}: ${answer.message}` : (answer.message ?? `HTTP ${r.status}`));
  return answer as T;
}

export async function signIn(accessKeyId: string, secretAccessKey: string, region: string): Promise<void> {
  const r = await fetch('/console/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ accessKeyId, secretAccessKey, region }),
  });
  if (!r.ok) throw new ApiFailure(r.status, ((await r.json().catch(() => ({}))) as { message?: string }).message ?? `HTTP ${r.status}`);
}

export async function signOut(): Promise<void> {
  await fetch('/console/api/session', { method: 'DELETE', credentials: 'same-origin' });
}
