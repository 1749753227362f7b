// The one HTTP entry point: request id, body limit, authentication, then the protocol pipeline
// of the service the request addresses. Every answer carries x-amzn-RequestId; nothing a client
// sends can make it answer 500 except a bug, which is logged with the request id.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Config } from '../main/config.ts';
import { authenticate } from './authenticate.ts';
import { renderJsonError, type JsonService, type ProtocolResponse } from './json-protocol.ts';
import { ServiceError } from './service-error.ts';

export interface HttpDeps {
  config: Config;
  personalize: JsonService;
  log: (fields: Record<string, unknown>) => void;
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
  res.writeHead(r.status, { ...r.headers, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(r.body) });
  res.end(r.body);
}

async function route(req: IncomingMessage, requestId: string, deps: HttpDeps): Promise<ProtocolResponse> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  if (req.method === 'GET' && rawPath === '/health') {
    return { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' };
  }
  let body: Buffer;
  try {
    body = await readBody(req, deps.config.maxRequestBytes);
  } catch (e) {
    if (e instanceof BodyTooLarge) {
      throw new ServiceError('RequestEntityTooLargeException', `Request body is larger than ${deps.config.maxRequestBytes} bytes.`, 413);
    }
    throw e;
  }
  const target = req.headers['x-amz-target'];
  if (req.method !== 'POST' || rawPath !== '/' || typeof target !== 'string') {
    throw new ServiceError('UnknownOperationException', `No operation at ${req.method} ${rawPath}: the control plane takes POST / with an X-Amz-Target header.`, 404);
  }
  const caller = authenticate({ method: req.method, rawPath, rawQuery, headers: req.headersDistinct, body }, deps.config);
  const operation = deps.personalize.resolve(target);
  return deps.personalize.invoke(operation, body, { account: caller.account, region: caller.region, requestId });
}

export function createHttpServer(deps: HttpDeps): Server {
  return createServer((req, res) => {
    const requestId = randomUUID();
    const started = performance.now();
    route(req, requestId, deps)
      .catch((e: unknown) => {
        if (e instanceof ServiceError) return renderJsonError(e);
        deps.log({ level: 'error', requestId, msg: 'internal failure', error: e instanceof Error ? e.stack : String(e) });
        return renderJsonError(new ServiceError('InternalFailure', `Internal failure (request ${requestId}); see the service log.`, 500));
      })
      .then((r) => {
        send(res, requestId, r);
        if (r.status >= 500) deps.log({ level: 'warn', requestId, status: r.status, ms: Math.round(performance.now() - started) });
      })
      .catch(() => res.destroy());
  });
}
