// Who is calling: SigV4 over the request, against the configured keys (or, in open mode, any
// well-formed signature). The region is the one in the signature's credential scope.
import { ServiceError } from './service-error.ts';
import { parseSignature } from './sigv4/sigv4-parse.ts';
import type { SignedRequest } from './sigv4/sigv4-types.ts';
import { checkRequestTime, verifySignature } from './sigv4/sigv4.ts';

/** Who may call: given by the configuration (protocol/ does not read it itself). */
export interface AuthPolicy {
  /** The accepted keys; undefined is open mode (any well-formed signature, or none). */
  credentials: { accessKeyId: string; secretAccessKey: string; account: string }[] | undefined;
  /** Region of unsigned requests in open mode. */
  defaultRegion: string;
  /** Account of an unsigned request (undefined) or of any key, in open mode. */
  openAccount(accessKeyId: string | undefined): string;
}

export interface Caller {
  account: string;
  region: string;
  accessKeyId: string | undefined;
}

function hasAuth(req: SignedRequest): boolean {
  return req.headers.authorization !== undefined || /(^|&)X-Amz-Signature=/.test(req.rawQuery);
}

export function authenticate(req: SignedRequest, config: AuthPolicy, now = new Date()): Caller {
  if (!config.credentials && !hasAuth(req)) {
    return { account: config.openAccount(undefined), region: config.defaultRegion, accessKeyId: undefined };
  }
  const parsed = parseSignature(req);
  if ('code' in parsed) throw new ServiceError(parsed.code, parsed.message, 403);
  const { accessKeyId, region } = parsed.credential;
  if (!config.credentials) return { account: config.openAccount(accessKeyId), region, accessKeyId };

  const known = config.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!known) throw new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.', 403);
  const late = checkRequestTime(parsed, now);
  if (late) throw new ServiceError(late.code, late.message, 403);
  if (!verifySignature(req, parsed, known.secretAccessKey)) {
    throw new ServiceError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      403,
    );
  }
  return { account: known.account, region, accessKeyId };
}
