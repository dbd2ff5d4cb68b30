import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { CARRIER_ID_PATTERN } from '../orders/order-lifecycle';
import { actsForCarrier, isRole, type Principal, type Role } from '../policy';
import { jwtRefusal } from './jwt-refusal';

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

/** Turns a bearer token into the principal it names, or refuses it. */
export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Checks the signature and `exp`/`sub`, then reads the principal. Either HS256 with the
 * gateway's own secret, or (JWKS_URL set, as an identity provider would run it) RS256 or
 * ES256 against the provider's published keys; never both, never `alg: none`.
 */
export function tokenVerifier(config: { jwtSecret: string; jwksUrl?: string }): TokenVerifier {
  const key: Uint8Array | JWTVerifyGetKey = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl))
    : keyOf(config.jwtSecret);
  const algorithms = config.jwksUrl ? ['RS256', 'ES256'] : ['HS256'];
  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as Uint8Array, { algorithms, requiredClaims: ['exp', 'sub'] }));
    } catch (error) {
      const expired = jwtRefusal(error) === 'EXPIRED';
      throw new TokenRejected('UNAUTHENTICATED', expired ? 'the token has expired' : 'the token is not valid');
    }
    return principalOf(payload);
  };
}

/**
 * A valid signature with a role we do not know is FORBIDDEN rather than UNAUTHENTICATED:
 * the caller is known, the permission is not.
 */
function principalOf({ sub, role, carrierId }: JWTPayload): Principal {
  if (typeof sub !== 'string' || sub.length === 0)
    throw new TokenRejected('UNAUTHENTICATED', 'the token has no subject');
  if (typeof role !== 'string' || !isRole(role)) throw new TokenRejected('FORBIDDEN', 'the token names no known role');
  if (!actsForCarrier(role)) return { id: sub, role };
  if (typeof carrierId !== 'string' || !CARRIER_ID_PATTERN.test(carrierId)) {
    throw new TokenRejected('FORBIDDEN', `a ${role} token must name its carrierId`);
  }
  return { id: sub, role, carrierId };
}
