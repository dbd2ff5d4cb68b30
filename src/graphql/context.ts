import type { IncomingHttpHeaders } from 'node:http';
import type { DataSource } from 'typeorm';
import type { RequestRateLimiter } from '../auth/rate-limit';
import { TokenRejected, type TokenVerifier } from '../auth/tokens';
import { isAnonymousRequestBody } from './anonymous-operation';
import type { UnsubscribeLinks } from '../consents/unsubscribe-links';
import type { DisclosureLimits } from '../config';
import type { BudgetWindow } from '../audit/disclosure-terms';
import { RequestDisclosures } from './disclosure/request-disclosures';
import {
  isPurpose,
  type DeadlineRules,
  type PolicyClock,
  type Principal,
  type Purpose,
  type RetentionWindows,
} from '../policy';
import { gatewayError, rateLimited, tokenRequired } from './errors';
import { createLoaders, type Loaders } from './loaders';

export interface GatewayContext {
  requestId: string;
  principal: Principal;
  /** From X-Purpose; absent when the header is, and the policy then infers or asks for one. */
  declaredPurpose: Purpose | undefined;
  dataSource: DataSource;
  clock: PolicyClock;
  /** The privacy notice version consents are recorded under. */
  policyVersion: string;
  loaders: Loaders;
  disclosures: RequestDisclosures;
  unsubscribeLinks: UnsubscribeLinks;
  /** The legal deadlines data-subject requests are opened with. */
  deadlines: DeadlineRules;
}

/**
 * A caller without an Authorization header. It has no principal, no role and no
 * purpose, and may run one operation only: the `unsubscribe` mutation, whose signed
 * link is its authority (checked here on the raw body, and again once Apollo has
 * resolved the operation).
 */
export interface AnonymousContext {
  requestId: string;
  principal: undefined;
  declaredPurpose: undefined;
  dataSource: DataSource;
  policyVersion: string;
  unsubscribeLinks: UnsubscribeLinks;
  loaders?: undefined;
  disclosures?: undefined;
}

export type RequestContext = GatewayContext | AnonymousContext;

/** The principal's budget of distinct customers, over the window that ends now; none for a role without one. */
function budgetOf(principal: Principal, limits: DisclosureLimits, clock: PolicyClock): BudgetWindow | undefined {
  const limit = limits.perRole[principal.role];
  return limit === undefined
    ? undefined
    : { limit, since: new Date(clock.now.getTime() - limits.windowMinutes * 60_000) };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** What the context factory is built with, once per server. */
export interface ContextSettings {
  verifyToken: TokenVerifier;
  policyVersion: string;
  rateLimiter: RequestRateLimiter;
  retention: RetentionWindows;
  disclosureLimits: DisclosureLimits;
  unsubscribeLinks: UnsubscribeLinks;
  deadlines: DeadlineRules;
}

/** What the context factory reads of one HTTP request. */
export interface ContextRequest {
  headers: IncomingHttpHeaders;
  requestId: string;
  /** The parsed JSON body: without a token, only the unsubscribe mutation goes further. */
  body?: unknown;
  /** The client address, which rate-limits callers without a token. */
  ip?: string;
}

/** The caller without a token: only the unsubscribe mutation, rate-limited per client address. */
async function anonymousContext(
  dataSource: DataSource,
  { rateLimiter, policyVersion, unsubscribeLinks }: ContextSettings,
  { requestId, body, ip }: ContextRequest,
): Promise<AnonymousContext> {
  if (!isAnonymousRequestBody(body)) throw tokenRequired();
  const retryAfter = await rateLimiter.anonymousRetryAfter(ip);
  if (retryAfter > 0) throw rateLimited(retryAfter);
  return { requestId, principal: undefined, declaredPurpose: undefined, dataSource, policyVersion, unsubscribeLinks };
}

/** The principal a `Bearer <token>` header names; 401 or 403 as the token verifier refuses it. */
async function authenticate(authorization: string, verifyToken: TokenVerifier): Promise<Principal> {
  const token = authorization.match(/^Bearer ([^\s]+)$/i)?.[1];
  if (!token) throw tokenRequired();
  try {
    return await verifyToken(token);
  } catch (error) {
    if (error instanceof TokenRejected) throw gatewayError(error.code, error.message);
    throw error;
  }
}

/** X-Purpose, when sent: one of the policy's purposes, or 400. */
function declaredPurposeOf(headers: IncomingHttpHeaders): Purpose | undefined {
  const purposeHeader = header(headers, 'x-purpose')?.trim();
  if (!purposeHeader) return undefined;
  if (!isPurpose(purposeHeader)) {
    throw gatewayError('BAD_USER_INPUT', 'X-Purpose is not a known purpose', {
      argumentPath: ['X-Purpose'],
      http: { status: 400 },
    });
  }
  return purposeHeader;
}

/** The context of an authenticated request, within the principal's rate. */
async function principalContext(
  dataSource: DataSource,
  settings: ContextSettings,
  { headers, requestId }: ContextRequest,
  authorization: string,
): Promise<GatewayContext> {
  const { verifyToken, rateLimiter, retention, policyVersion, disclosureLimits, unsubscribeLinks, deadlines } =
    settings;
  const principal = await authenticate(authorization, verifyToken);
  const retryAfter = await rateLimiter.principalRetryAfter(principal.id);
  if (retryAfter > 0) throw rateLimited(retryAfter);
  const declaredPurpose = declaredPurposeOf(headers);
  // One moment for the whole request, so every decision in it agrees.
  const clock: PolicyClock = { now: new Date(), retention };
  return {
    requestId,
    principal,
    declaredPurpose,
    dataSource,
    policyVersion,
    clock,
    loaders: createLoaders(dataSource.manager),
    disclosures: new RequestDisclosures(
      principal,
      declaredPurpose,
      clock,
      budgetOf(principal, disclosureLimits, clock),
    ),
    unsubscribeLinks,
    deadlines,
  };
}

/**
 * Turns an HTTP request into who asks and why. Refusals here end the request before
 * any resolver runs: 401 for a missing or bad token, 403 for an unknown role, 429 past
 * the principal's rate, 400 for an unknown purpose. The one exception: a request with no
 * Authorization header at all that is exactly the `unsubscribe` mutation gets an
 * anonymous context (rate-limited per client address).
 */
export function contextFactory(dataSource: DataSource, settings: ContextSettings) {
  return async (request: ContextRequest): Promise<RequestContext> => {
    const authorization = header(request.headers, 'authorization');
    return authorization === undefined
      ? anonymousContext(dataSource, settings, request)
      : principalContext(dataSource, settings, request, authorization);
  };
}
