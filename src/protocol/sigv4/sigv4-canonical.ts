// The SigV4 canonical request, built the way the AWS SDKs build it for non-S3 services, so that a
// signature computed by a client over the request it sent can be recomputed from the request we got.
import { createHash, createHmac } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
export const SCOPE_TERMINATOR = 'aws4_request';

export type Headers = Record<string, string | string[] | undefined>;

export interface QueryPair {
  key: Buffer; // percent-decoded bytes
  value: Buffer;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2d || b === 0x2e || b === 0x5f || b === 0x7e
  );
}

// RFC 3986 over UTF-8 bytes: the same output as the SDKs' encodeURIComponent + [!'()*] escaping,
// but working on bytes means a lone surrogate or undecodable escape cannot throw.
export function uriEncode(bytes: Buffer, keepSlash = false): string {
  let out = '';
  for (const b of bytes) {
    if (isUnreserved(b) || (keepSlash && b === 0x2f)) out += String.fromCharCode(b);
    else out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

// Lenient: a '%' not followed by two hex digits stays literal rather than failing the request here;
// the signature check will decide. '+' is kept as '+', since SigV4 clients encode spaces as %20.
export function percentDecode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.alloc(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const hi = src[i] === 0x25 ? hexValue(src[i + 1]) : -1;
    const lo = hi >= 0 ? hexValue(src[i + 2]) : -1;
    if (lo >= 0) {
      out[n++] = hi * 16 + lo;
      i += 2;
    } else {
      out[n++] = src[i];
    }
  }
  return out.subarray(0, n);
}

export function parseQuery(rawQuery: string): QueryPair[] {
  if (rawQuery === '') return [];
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const eq = part.indexOf('=');
      const key = eq < 0 ? part : part.slice(0, eq);
      const value = eq < 0 ? '' : part.slice(eq + 1);
      return { key: percentDecode(key), value: percentDecode(value) };
    });
}

/** First value of a query parameter, matched exactly on its decoded name. */
export function queryParam(pairs: QueryPair[], name: string): string | undefined {
  const hit = pairs.find((p) => p.key.toString('utf8') === name);
  return hit?.value.toString('utf8');
}

// Dot segments resolved and empty segments dropped, then every byte outside the unreserved set
// escaped again: the path on the wire is already percent-encoded and the SDKs sign it double-encoded.
export function canonicalPath(rawPath: string): string {
  if (rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const lead = rawPath.startsWith('/') ? '/' : '';
  const trail = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return uriEncode(Buffer.from(lead + segments.join('/') + trail, 'utf8'), true);
}

export function canonicalQuery(pairs: QueryPair[], excludeSignature: boolean): string {
  return pairs
    .filter((p) => !(excludeSignature && p.key.toString('utf8').toLowerCase() === 'x-amz-signature'))
    .map((p) => [uriEncode(p.key), uriEncode(p.value)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const NOT_TRIMMED = /[\t\r\n]| {2}|^ | $/;

function trimAll(value: string): string {
  // Most values have nothing to trim: testing is cheaper than replacing.
  return NOT_TRIMMED.test(value) ? value.replace(/[ \t\r\n]+/g, ' ').trim() : value;
}

/** The header's canonical value, or undefined when the request does not carry it. */
export function canonicalHeaderValue(headers: Headers, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.map(trimAll).join(',') : trimAll(value);
}

/** Canonical header lines in the order the client listed them, or undefined if one is absent. */
export function canonicalHeaders(headers: Headers, signedHeaders: string[]): string | undefined {
  const lines: string[] = [];
  for (const name of signedHeaders) {
    const value = canonicalHeaderValue(headers, name);
    if (value === undefined) return undefined;
    lines.push(`${name}:${value}\n`);
  }
  return lines.join('');
}

export interface CanonicalParts {
  method: string;
  path: string;
  query: string;
  headers: string; // each line already newline-terminated
  signedHeaders: string;
  payloadHash: string;
}

export function canonicalRequest(p: CanonicalParts): string {
  return [p.method.toUpperCase(), p.path, p.query, p.headers, p.signedHeaders, p.payloadHash].join('\n');
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const kDate = hmac(`AWS4${secret}`, date);
  const kRegion = hmac(kDate, region);
  const kService = hmac(kRegion, service);
  return hmac(kService, SCOPE_TERMINATOR);
}

/** ISO-8601 basic format, as in X-Amz-Date: 20240101T000000Z. */
export function amzDate(d: Date): string {
  const iso = d.toISOString();
  // YYYY-MM-DDTHH:MM:SS.sssZ, cut rather than matched (this runs several times per request);
  // years outside 0000-9999 have a longer form.
  if (iso.length === 24) return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return iso.replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}
