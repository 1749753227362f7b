// Reading a SigV4 signature out of a request, from the Authorization header or from a presigned
// query string. Error texts follow the ones AWS front ends return, so clients see familiar messages.
import type { AuthFailure, ParsedSignature, SignedRequest, SigV4Credential } from './sigv4-types.ts';
import { ALGORITHM, SCOPE_TERMINATOR, amzDate, canonicalHeaderValue, parseQuery, queryParam } from './sigv4-canonical.ts';

const MAX_PRESIGNED_EXPIRES = 604800; // one week, the SigV4 ceiling

interface RawFields {
  algorithm: string;
  credential?: string;
  signedHeaders?: string;
  signature?: string;
  date?: string; // X-Amz-Date
  httpDate?: string; // Date header, consulted only without X-Amz-Date
  expires?: string;
}

const incomplete = (message: string): AuthFailure => ({ code: 'IncompleteSignatureException', message });

function firstHeader(req: SignedRequest, name: string): string | undefined {
  const value = canonicalHeaderValue(req.headers, name);
  return value === undefined || value === '' ? undefined : value;
}

function parseAuthorizationHeader(header: string): RawFields | AuthFailure {
  const match = /^(\S+)\s*(.*)$/s.exec(header.trim());
  const algorithm = match?.[1] ?? '';
  const params = new Map<string, string>();
  for (const token of (match?.[2] ?? '').split(/[\s,]+/).filter(Boolean)) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      return incomplete(`'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${header}'.`);
    }
    params.set(token.slice(0, eq), token.slice(eq + 1));
  }
  return {
    algorithm,
    credential: params.get('Credential'),
    signedHeaders: params.get('SignedHeaders'),
    signature: params.get('Signature'),
  };
}

function headerForm(req: SignedRequest, header: string): RawFields | AuthFailure {
  const fields = parseAuthorizationHeader(header);
  if ('code' in fields) return fields;
  if (fields.algorithm !== ALGORITHM) {
    return incomplete(`Unsupported AWS 'algorithm': '${fields.algorithm}'. Authorization header must start with '${ALGORITHM}'.`);
  }
  const given = { Credential: fields.credential, Signature: fields.signature, SignedHeaders: fields.signedHeaders };
  const missing = Object.entries(given)
    .filter(([, value]) => !value)
    .map(([name]) => `Authorization header requires '${name}' parameter.`);
  const date = firstHeader(req, 'x-amz-date');
  const httpDate = firstHeader(req, 'date');
  if (date === undefined && httpDate === undefined) {
    missing.push(`Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.`);
  }
  if (missing.length > 0) return incomplete(`${missing.join(' ')} Authorization=${header}`);
  return { ...fields, date, httpDate };
}

const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'];

function queryForm(rawQuery: string): RawFields | AuthFailure {
  const pairs = parseQuery(rawQuery);
  const get = (name: string) => queryParam(pairs, name) || undefined;
  const missing = QUERY_PARAMS.filter((name) => get(name) === undefined);
  if (missing.length > 0) {
    const parts = missing.map((name) => `AWS query-string parameters must include '${name}'.`);
    return incomplete(`${parts.join(' ')} Re-examine the query-string parameters.`);
  }
  const algorithm = get('X-Amz-Algorithm') ?? '';
  if (algorithm !== ALGORITHM) {
    return incomplete(`X-Amz-Algorithm only supports "${ALGORITHM}", not "${algorithm}".`);
  }
  return {
    algorithm,
    credential: get('X-Amz-Credential'),
    signedHeaders: get('X-Amz-SignedHeaders'),
    signature: get('X-Amz-Signature'),
    date: get('X-Amz-Date'),
    expires: queryParam(pairs, 'X-Amz-Expires'),
  };
}

function parseCredential(value: string): SigV4Credential | AuthFailure {
  const parts = value.split('/');
  if (parts.length !== 5) {
    return incomplete(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${value}'`);
  }
  const [accessKeyId, date, region, service, terminator] = parts;
  if (!accessKeyId) return incomplete(`Credential must name an access key id, got '${value}'`);
  if (!/^\d{8}$/.test(date)) return incomplete(`Invalid credential date '${date}': expected YYYYMMDD, got '${value}'`);
  if (!region) return incomplete(`Credential should be scoped to a valid region, not '${region}'. `);
  if (!service) return incomplete(`Credential should be scoped to correct service, not '${service}'. `);
  if (terminator !== SCOPE_TERMINATOR) {
    return incomplete(`Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${terminator}'. `);
  }
  return { accessKeyId, date, region, service };
}

const BASIC_FORMAT = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseRequestTime(fields: RawFields): Date | AuthFailure {
  if (fields.date !== undefined) {
    const m = BASIC_FORMAT.exec(fields.date);
    const d = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
    // The round trip rejects impossible dates such as month 13 that Date.UTC would roll over.
    if (!d || Number.isNaN(d.getTime()) || amzDate(d) !== fields.date) {
      return incomplete(`Date must be in ISO-8601 'basic format'. Got '${fields.date}'. See http://en.wikipedia.org/wiki/ISO_8601`);
    }
    return d;
  }
  const d = new Date(fields.httpDate ?? '');
  if (Number.isNaN(d.getTime())) return incomplete(`Date header is not a valid HTTP date. Got '${fields.httpDate}'.`);
  return d;
}

function parseExpires(value: string | undefined): number | undefined | AuthFailure {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) return incomplete(`X-Amz-Expires should be a number, got '${value}'.`);
  const seconds = Number(value);
  if (seconds < 0) return incomplete('X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGNED_EXPIRES) {
    return incomplete(`X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_EXPIRES}`);
  }
  return seconds;
}

function parseSignedHeaders(value: string): string[] | AuthFailure {
  const names = value.split(';').map((n) => n.trim().toLowerCase());
  if (names.some((n) => n === '')) return incomplete(`SignedHeaders has an empty header name: '${value}'.`);
  return names;
}

function authorizationHeader(req: SignedRequest): string | undefined {
  const value = req.headers.authorization;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first;
}

function hasQueryAuth(rawQuery: string): boolean {
  return parseQuery(rawQuery).some((p) => /^X-Amz-(Algorithm|Credential|Signature)$/.test(p.key.toString('utf8')));
}

function build(fields: RawFields, presigned: boolean): ParsedSignature | AuthFailure {
  const credential = parseCredential(fields.credential ?? '');
  if ('code' in credential) return credential;
  const signedHeaders = parseSignedHeaders(fields.signedHeaders ?? '');
  if ('code' in signedHeaders) return signedHeaders;
  const requestTime = parseRequestTime(fields);
  if ('code' in requestTime) return requestTime;
  const requestDate = amzDate(requestTime);
  // A signing key is only ever derived for one day; accepting it for another would stretch its life.
  if (requestDate.slice(0, 8) !== credential.date) {
    return {
      code: 'InvalidSignatureException',
      message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${credential.date}' != '${requestDate.slice(0, 8)}', from '${requestDate}'.`,
    };
  }
  const expiresSeconds = presigned ? parseExpires(fields.expires) : undefined;
  if (typeof expiresSeconds === 'object') return expiresSeconds;
  const parsed: ParsedSignature = { credential, signedHeaders, signature: fields.signature ?? '', requestTime, presigned };
  if (expiresSeconds !== undefined) parsed.expiresSeconds = expiresSeconds;
  return parsed;
}

export function parseSignature(req: SignedRequest): ParsedSignature | AuthFailure {
  const header = authorizationHeader(req);
  const queryAuth = hasQueryAuth(req.rawQuery);
  if (header !== undefined && queryAuth) {
    return incomplete(
      'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.',
    );
  }
  if (header === undefined && !queryAuth) {
    return { code: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };
  }
  const fields = header !== undefined ? headerForm(req, header) : queryForm(req.rawQuery);
  if ('code' in fields) return fields;
  return build(fields, header === undefined);
}
