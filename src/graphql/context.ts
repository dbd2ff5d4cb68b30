import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import type { RequestRateLimiter } from '../auth/rate-limit';
import { TokenRejected, verifyToken } from '../auth/tokens';
import { RequestDisclosures } from '../disclosures/request-disclosures';
import { isPurpose, type Principal, type Purpose, type RetentionWindows } from '../policy';
import { gatewayError, rateLimited } from './errors';
import { createLoaders, type Loaders } from './loaders';

export interface GatewayContext {
  requestId: string;
  principal: Principal;
  /** From X-Purpose; absent when the header is, and the policy then infers or asks for one. */
  declaredPurpose: Purpose | undefined;
  db: DataSource;
  /** The privacy notice version consents are recorded under. */
  policyVersion: string;
  loaders: Loaders;
  disclosures: RequestDisclosures;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Turns an HTTP request into who asks and why. Refusals here end the request before
 * any resolver runs: 401 for a missing or bad token, 403 for an unknown role, 429 past
 * the principal's rate, 400 for an unknown purpose.
 */
export function contextFactory(
  db: DataSource,
  {
    jwtSecret,
    policyVersion,
    rateLimiter,
    retention,
  }: { jwtSecret: string; policyVersion: string; rateLimiter: RequestRateLimiter; retention: RetentionWindows },
) {
  return async ({
    headers,
    requestId,
  }: {
    headers: IncomingHttpHeaders;
    requestId: string;
  }): Promise<GatewayContext> => {
    const authorization = header(headers, 'authorization');
    const token = authorization?.match(/^Bearer ([^\s]+)$/i)?.[1];
    if (!token) throw gatewayError('UNAUTHENTICATED', 'send Authorization: Bearer <token>');

    let principal: Principal;
    try {
      principal = await verifyToken(jwtSecret, token);
    } catch (error) {
      if (error instanceof TokenRejected) throw gatewayError(error.code, error.message);
      throw error;
    }

    const retryAfter = await rateLimiter.retryAfter(principal.id);
    if (retryAfter > 0) throw rateLimited(retryAfter);

    const purposeHeader = header(headers, 'x-purpose')?.trim();
    let declaredPurpose: Purpose | undefined;
    if (purposeHeader) {
      if (!isPurpose(purposeHeader)) {
        throw gatewayError('BAD_USER_INPUT', 'X-Purpose is not a known purpose', {
          argumentPath: ['X-Purpose'],
          http: { status: 400 },
        });
      }
      declaredPurpose = purposeHeader;
    }

    return {
      requestId,
      principal,
      declaredPurpose,
      db,
      policyVersion,
      loaders: createLoaders(db.manager, principal),
      disclosures: new RequestDisclosures(principal, declaredPurpose, { now: new Date(), retention }),
    };
  };
}
