// nextToken: opaque and tamper-proof. The token carries the keyset cursor and an HMAC over the
// cursor *and* the scope it was issued for (operation, account, region, filters), so a forged
// token, or one replayed against another account or another filter, is refused. Any API node
// sharing the secret can continue a listing that another node started.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidNextToken } from './service-error.ts';

/** Where the previous page ended: the keyset of its last row (the catalog's PageCursor). */
export interface PageCursor {
  createdAt: number;
  arn: string;
}

export class PageTokens {
  constructor(private readonly secret: Buffer) {}

  private mac(scope: string, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(scope).update('\n').update(payload).digest();
  }

  issue(scope: string, cursor: PageCursor): string {
    const payload = Buffer.from(JSON.stringify([cursor.createdAt, cursor.arn])).toString('base64url');
    return `${payload}.${this.mac(scope, payload).toString('base64url')}`;
  }

  read(scope: string, token: string): PageCursor {
    const [payload, mac, extra] = token.split('.');
    if (!payload || !mac || extra !== undefined) throw invalidNextToken();
    const given = Buffer.from(mac, 'base64url');
    const expected = this.mac(scope, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidNextToken();
    const [createdAt, arn] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [number, string];
    return { createdAt, arn };
  }
}
