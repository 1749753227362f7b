// What the SigV4 parser and verifier share: the request as received and the parsed signature.

export interface SignedRequest {
  method: string;
  /** The request path exactly as received, still percent-encoded, without the query string. */
  rawPath: string;
  /** The raw query string without '?', '' if none. */
  rawQuery: string;
  /** Node's IncomingHttpHeaders; pass `req.headersDistinct` to keep repeated headers apart. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface SigV4Credential {
  accessKeyId: string;
  date: string; // YYYYMMDD
  region: string;
  service: string;
}

export interface ParsedSignature {
  credential: SigV4Credential;
  signedHeaders: string[]; // lowercase, in the client's order
  signature: string; // hex
  requestTime: Date;
  presigned: boolean;
  expiresSeconds?: number;
}

export type AuthFailure = {
  code: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'InvalidSignatureException';
  message: string;
};
