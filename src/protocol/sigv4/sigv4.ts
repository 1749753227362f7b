// Server side of AWS Signature Version 4: parse what the client sent, recompute the signature with
// the secret key we hold, and refuse stale requests. See sigv4-parse.ts and sigv4-canonical.ts.
import { timingSafeEqual } from 'node:crypto';
import {
  UNSIGNED_PAYLOAD,
  amzDate,
  canonicalHeaderValue,
  canonicalHeaders,
  canonicalPath,
  canonicalQuery,
  canonicalRequest,
  hmac,
  parseQuery,
  queryParam,
  sha256Hex,
  signingKey,
  stringToSign,
  type QueryPair,
} from './sigv4-canonical.ts';
import type { AuthFailure, ParsedSignature, SignedRequest } from './sigv4-types.ts';

const DEFAULT_MAX_SKEW_MS = 15 * 60 * 1000;
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

// The payload hashes a client could have signed. A declared hex hash must match the body, or a
// body swapped under an intact signature would pass; other declared values (streaming) are refused.
function payloadHashes(req: SignedRequest, parsed: ParsedSignature, query: QueryPair[]): string[] {
  const declared =
    (parsed.presigned ? queryParam(query, 'X-Amz-Content-Sha256') : undefined) ?? canonicalHeaderValue(req.headers, 'x-amz-content-sha256');
  const actual = sha256Hex(req.body);
  if (declared === undefined) {
    // The JS and Python SDKs hash the body when presigning, S3-style presigners sign UNSIGNED-PAYLOAD
    // without saying so. Trying both admits only what the key holder signed: a body left unbound
    // was left so by the client.
    return parsed.presigned ? [actual, UNSIGNED_PAYLOAD] : [actual];
  }
  if (declared === UNSIGNED_PAYLOAD) return [declared];
  if (HEX_SHA256.test(declared) && declared.toLowerCase() === actual) return [declared];
  return [];
}

/** Signing keys derived lately: a key holds for a whole day, and deriving one costs four HMACs. */
const signingKeys = new Map<string, Buffer>();
const MAX_SIGNING_KEYS = 256;

function cachedSigningKey(secret: string, date: string, region: string, service: string): Buffer {
  const id = `${date}\n${region}\n${service}\n${secret}`;
  let key = signingKeys.get(id);
  if (!key) {
    key = signingKey(secret, date, region, service);
    // Bounded against requests naming ever new regions or dates; dropping all is simplest.
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

// Comparing bytes of equal length in constant time; a length mismatch leaks only the length.
function sameSignature(expectedHex: string, provided: string): boolean {
  const a = Buffer.from(expectedHex, 'utf8');
  const b = Buffer.from(provided.toLowerCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

export function verifySignature(req: SignedRequest, parsed: ParsedSignature, secretAccessKey: string): boolean {
  const query = parseQuery(req.rawQuery);
  const headers = canonicalHeaders(req.headers, parsed.signedHeaders);
  if (headers === undefined) return false;
  const { date, region, service } = parsed.credential;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const key = cachedSigningKey(secretAccessKey, date, region, service);
  const parts = {
    method: req.method,
    path: canonicalPath(req.rawPath),
    query: canonicalQuery(query, parsed.presigned),
    headers,
    signedHeaders: parsed.signedHeaders.join(';'),
  };
  return payloadHashes(req, parsed, query).some((payloadHash) => {
    const toSign = stringToSign(amzDate(parsed.requestTime), scope, canonicalRequest({ ...parts, payloadHash }));
    return sameSignature(hmac(key, toSign).toString('hex'), parsed.signature);
  });
}

function span(ms: number): string {
  return ms % 60000 === 0 ? `${ms / 60000} min.` : `${ms / 1000} sec.`;
}

const invalid = (message: string): AuthFailure => ({ code: 'InvalidSignatureException', message });

/**
 * Refuses a request signed more than maxSkewMs away from now. A presigned request is meant to be
 * used later, so its lower bound is its own X-Amz-Expires rather than the skew window.
 */
export function checkRequestTime(parsed: ParsedSignature, now: Date, maxSkewMs = DEFAULT_MAX_SKEW_MS): AuthFailure | undefined {
  const signed = parsed.requestTime.getTime();
  const at = now.getTime();
  const stamp = amzDate(parsed.requestTime);
  if (signed > at + maxSkewMs) {
    const limit = amzDate(new Date(at + maxSkewMs));
    return invalid(`Signature not yet current: ${stamp} is still later than ${limit} (${amzDate(now)} + ${span(maxSkewMs)})`);
  }
  const lowerMs = parsed.presigned && parsed.expiresSeconds !== undefined ? parsed.expiresSeconds * 1000 : maxSkewMs;
  if (signed < at - lowerMs) {
    const limit = amzDate(new Date(at - lowerMs));
    return invalid(`Signature expired: ${stamp} is now earlier than ${limit} (${amzDate(now)} - ${span(lowerMs)})`);
  }
  return undefined;
}
