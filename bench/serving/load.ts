// The serving benchmark's load generator: SigV4-signed personalize-runtime requests over raw
// keep-alive HTTP connections, from a process of their own (the benchmark's), so the service has
// its event loop to itself.
//
// Requests are signed ahead of a run (a pool of distinct bodies, each signed once, exactly as an
// AWS SDK signs it: @smithy/signature-v4, the SDKs' own signer) and sent as they are, so the
// client spends its share of the two cores on sending rather than on HMACs; the server still
// verifies every signature in full (a signature stays valid for 15 minutes). A run is a closed
// loop: `concurrency` connections, each sending its next request as soon as the previous answer
// is read.
import { Agent, request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Signed {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Signs a POST of each JSON body to `path` of the endpoint, for the personalize signing name. */
export async function signAll(
  endpoint: string,
  path: string,
  bodies: string[],
  credentials: Credentials,
  region: string,
): Promise<Signed[]> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({ service: 'personalize', region, credentials, sha256: Sha256 });
  return Promise.all(
    bodies.map(async (body) => {
      const signed = await signer.sign(
        new HttpRequest({
          method: 'POST',
          protocol: url.protocol,
          hostname: url.hostname,
          port: Number(url.port),
          path,
          headers: { host: url.host, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) },
          body,
        }),
      );
      return { path, headers: signed.headers, body };
    }),
  );
}

export interface RunResult {
  /** Client-side round trip of each request, ms. */
  ms: number[];
  seconds: number;
  /** Answers by HTTP status. */
  statuses: Map<number, number>;
  /** One answer body per status, to show what went wrong. */
  sample: Map<number, string>;
}

/** Sends the pool round-robin from `concurrency` keep-alive connections for `seconds` (at least one request each). */
export async function closedLoop(endpoint: string, pool: Signed[], concurrency: number, seconds: number): Promise<RunResult> {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const ms: number[] = [];
  const statuses = new Map<number, number>();
  const sample = new Map<number, string>();
  let next = 0;
  const one = (r: Signed) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const req = request({ host: url.hostname, port: url.port, path: r.path, method: 'POST', agent, headers: r.headers }, (res) => {
        const status = res.statusCode ?? 0;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          ms.push(performance.now() - started);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (!sample.has(status)) sample.set(status, Buffer.concat(chunks).toString('utf8').slice(0, 300));
          resolve();
        });
      });
      req.on('error', reject);
      req.end(r.body);
    });
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      // At least one request per connection (seconds = 0: exactly one).
      do await one(pool[next++ % pool.length]);
      while (performance.now() < deadline);
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  return { ms, seconds: elapsed, statuses, sample };
}

/** The p-quantile (0..1) of the values, nearest rank. */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}
