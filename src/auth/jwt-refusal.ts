import { errors } from 'jose';

/**
 * Why jose refused a JWT: EXPIRED when only its `exp` has passed, INVALID for any other
 * failure of the signature or the claims. Anything that is not a jose error (a network
 * failure fetching a JWKS, a bug) is thrown on unchanged.
 */
export function jwtRefusal(error: unknown): 'EXPIRED' | 'INVALID' {
  if (error instanceof errors.JWTExpired) return 'EXPIRED';
  if (error instanceof errors.JOSEError) return 'INVALID';
  throw error;
}
