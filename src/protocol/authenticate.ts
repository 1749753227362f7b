// Who is calling: SigV4 over the request, against the configured keys (or, in open mode, any
// well-formed signature). The region is the one in the signature's credential scope.
import type { Config } from '../main/config.ts';
import { accountForKey, DEFAULT_ACCOUNT } from '../main/config.ts';
import { ServiceError } from './service-error.ts';
import { checkRequestTime, parseSignature, verifySignature, type SignedRequest } from './sigv4.ts';

export interface Caller {
  account: string;
  region: string;
  accessKeyId: string | undefined;
}

function hasAuth(req: SignedRequest): boolean {
  return req.headers.authorization !== undefined || /(^|&)X-Amz-Signature=/.test(req.rawQuery);
}

export function authenticate(req: SignedRequest, config: Config, now = new Date()): Caller {
  if (!config.credentials && !hasAuth(req)) {
    return { account: DEFAULT_ACCOUNT, region: config.defaultRegion, accessKeyId: undefined };
  }
  const parsed = parseSignature(req);
  if ('code' in parsed) throw new ServiceError(parsed.code, parsed.message, 403);
  const { accessKeyId, region } = parsed.credential;
  if (!config.credentials) return { account: accountForKey(accessKeyId), region, accessKeyId };

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
