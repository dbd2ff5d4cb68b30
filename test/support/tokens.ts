import { SignJWT, type JWTHeaderParameters, type JWTPayload, type KeyLike } from 'jose';
import { TEST_SECRET } from './gateway';

/** Seconds since the epoch, as JWT times are. */
export const now = (): number => Math.floor(Date.now() / 1000);

export interface Forgery {
  /** An HMAC secret (a string), raw key bytes, or an asymmetric private key. TEST_SECRET by default. */
  key?: string | Uint8Array | KeyLike;
  /** HS256 / JWT by default. */
  header?: JWTHeaderParameters;
}

/**
 * A JWT over exactly the claims given (absent claims stay absent), signed as asked: the
 * tokens the tests build by hand to see what the gateway accepts and refuses.
 */
export function forgeToken(claims: JWTPayload, { key = TEST_SECRET, header }: Forgery = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader(header ?? { alg: 'HS256', typ: 'JWT' })
    .sign(typeof key === 'string' ? new TextEncoder().encode(key) : key);
}

/** The claims of a token, read without checking anything. */
export function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
