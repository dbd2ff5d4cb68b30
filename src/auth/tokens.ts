import { errors, jwtVerify, SignJWT } from 'jose';
import { CARRIER_ID_PATTERN } from '../orders/order-lifecycle';
import { isRole, type Principal, type Role } from '../policy';

/** Why a bearer token was refused; `code` is the error code the client sees. */
export class TokenRejected extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN',
    message: string,
  ) {
    super(message);
  }
}

function keyOf(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export interface TokenClaims {
  sub: string;
  role: Role;
  carrierId?: string;
}

export async function issueToken(secret: string, claims: TokenClaims, expiresIn = '8h'): Promise<string> {
  return new SignJWT({ role: claims.role, ...(claims.carrierId ? { carrierId: claims.carrierId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(keyOf(secret));
}

/**
 * HS256 only (no `alg: none`, no algorithm confusion); `exp` and `sub` are required.
 * A valid signature with a role we do not know is FORBIDDEN rather than UNAUTHENTICATED:
 * the caller is known, the permission is not.
 */
export async function verifyToken(secret: string, token: string): Promise<Principal> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, keyOf(secret), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new TokenRejected('UNAUTHENTICATED', 'the token has expired');
    if (error instanceof errors.JOSEError) throw new TokenRejected('UNAUTHENTICATED', 'the token is not valid');
    throw error;
  }
  const { sub, role, carrierId } = payload;
  if (typeof sub !== 'string' || sub.length === 0)
    throw new TokenRejected('UNAUTHENTICATED', 'the token has no subject');
  if (typeof role !== 'string' || !isRole(role)) throw new TokenRejected('FORBIDDEN', 'the token names no known role');
  if (role !== 'CARRIER') return { id: sub, role };
  if (typeof carrierId !== 'string' || !CARRIER_ID_PATTERN.test(carrierId)) {
    throw new TokenRejected('FORBIDDEN', 'a CARRIER token must name its carrierId');
  }
  return { id: sub, role, carrierId };
}
