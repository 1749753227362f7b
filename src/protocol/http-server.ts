// The one HTTP entry point: request id, body limit, then the first route that takes the request
// (the control plane, health, and later the events API, metrics and the console). Every answer
// carries x-amzn-RequestId; nothing a client sends can make it answer 500 except a bug, which is
// logged with the request id.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { authenticate, type AuthPolicy, type Caller } from './authenticate.ts';
import { renderJsonError, type JsonService, type ProtocolResponse } from './json-protocol.ts';
import type { RestJsonService } from './rest-json-protocol.ts';
import { ServiceError } from './service-error.ts';

export interface IncomingCall {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  requestId: string;
  /** SigV4 over this request (throws a 403 ServiceError); call it only on routes that need a caller. */
  authenticate(): Caller;
}

/** A route answers the calls it recognises and returns undefined for the others. */
export type Route = (call: IncomingCall) => Promise<ProtocolResponse> | undefined;

export interface HttpDeps {
  auth: AuthPolicy;
  /** Larger request bodies get 413. */
  maxRequestBytes: number;
  routes: Route[];
  log: (fields: Record<string, unknown>) => void;
  /** Told of every answered request (metrics: latency by operation). */
  observe?: (req: IncomingMessage, status: number, seconds: number) => void;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    // Past the limit the rest is drained, not stored, so the client still reads our 413
    // instead of a reset connection.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLarge()) : resolve(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, requestId: string, r: ProtocolResponse): void {
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
  res.writeHead(r.status, { ...r.headers, 'x-amzn-requestid': requestId, 'content-length': body.length });
  res.end(body);
}

/** The control plane: POST / with X-Amz-Target, AWS JSON 1.1. */
export function controlPlaneRoute(service: JsonService): Route {
  return (call) => {
    const target = call.headers['x-amz-target'];
    if (call.method !== 'POST' || call.rawPath !== '/' || typeof target !== 'string') return undefined;
    return (async () => {
      const caller = call.authenticate();
      const operation = service.resolve(target);
      return service.invoke(operation, call.body, { account: caller.account, region: caller.region, requestId: call.requestId });
    })();
  };
}

/** A rest-json API (personalize-events): the method + path pairs of its model. Its errors are
 *  rendered here, in its own error form, including authentication failures. */
export function restJsonRoute(service: RestJsonService): Route {
  return (call) => {
    const operation = service.resolve(call.method, call.rawPath);
    if (!operation) return undefined;
    return (async () => {
      try {
        const caller = call.authenticate();
        return await service.invoke(operation, call.body, { account: caller.account, region: caller.region, requestId: call.requestId });
      } catch (e) {
        if (e instanceof ServiceError) return service.renderError(e);
        throw e;
      }
    })();
  };
}

export const healthRoute: Route = (call) =>
  call.method === 'GET' && call.rawPath === '/health'
    ? Promise.resolve({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' })
    : undefined;

async function dispatch(req: IncomingMessage, requestId: string, deps: HttpDeps): Promise<ProtocolResponse> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  let body: Buffer;
  try {
    body = await readBody(req, deps.maxRequestBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      throw new ServiceError('RequestEntityTooLargeException', `Request body is larger than ${deps.maxRequestBytes} bytes.`, 413);
    }
    throw e;
  }
  const method = req.method ?? 'GET';
  const call: IncomingCall = {
    method,
    rawPath,
    rawQuery,
    headers: req.headers,
    body,
    requestId,
    authenticate: () => authenticate({ method, rawPath, rawQuery, headers: req.headersDistinct, body }, deps.auth),
  };
  for (const route of deps.routes) {
    const answer = route(call);
    if (answer) return answer;
  }
  throw new ServiceError(
    'UnknownOperationException',
    `No operation at ${method} ${rawPath}: the control plane takes POST / with an X-Amz-Target header.`,
    404,
  );
}

export function createHttpServer(deps: HttpDeps): Server {
  const server = createServer((req, res) => {
    const requestId = randomUUID();
    const started = performance.now();
    dispatch(req, requestId, deps)
      .catch((e: unknown) => {
        if (e instanceof ServiceError) return renderJsonError(e);
        deps.log({ level: 'error', requestId, msg: 'internal failure', error: e instanceof Error ? e.stack : String(e) });
        return renderJsonError(new ServiceError('InternalFailure', `Internal failure (request ${requestId}); see the service log.`, 500));
      })
      .then((r) => {
        send(res, requestId, r);
        deps.observe?.(req, r.status, (performance.now() - started) / 1000);
        if (r.status >= 500) deps.log({ level: 'warn', requestId, status: r.status, ms: Math.round(performance.now() - started) });
      })
      .catch(() => res.destroy());
  });
  // Clients keep connections open between calls. With Node's default 5 s, a client that reuses a
  // connection just as the server closes it gets "socket hang up"; like AWS's own endpoints and
  // load balancers, idle connections are kept far longer than clients typically idle.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
