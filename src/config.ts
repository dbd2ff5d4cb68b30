import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import {
  DEFAULT_DISCLOSURE_LIMITS,
  DEFAULT_DISCLOSURE_WINDOW_MINUTES,
  DEFAULT_RETENTION,
  isRole,
  type DeadlineRules,
  type RetentionWindows,
  type Role,
} from './policy';
import { ConfigError, positiveInteger, positiveIntegerOr } from './config-values';
import { deadlineRules } from './data-subject/deadline-config';

export { ConfigError };

export interface Config {
  production: boolean;
  port: number;
  /** Real PostgreSQL when set; otherwise the embedded PGlite in `pgliteDir`. */
  databaseUrl?: string;
  pgliteDir: string;
  /** Whether the gateway's statements are prepared once per connection (see PreparingClient). */
  preparedStatements: boolean;
  jwtSecret: string;
  /** True when no JWT_SECRET was given and a throwaway one was made for this run. */
  jwtSecretGenerated: boolean;
  /** When set, bearer tokens are RS256/ES256 checked against this JWKS instead of HS256. */
  jwksUrl?: string;
  /** Express's `trust proxy`: how to find the client address behind a load balancer. */
  trustProxy: boolean | number | string;
  /** The version of the privacy notice customers consent under (docs/design.md#the-problem). */
  policyVersion: string;
  disclosureLimits: DisclosureLimits;
  retention: RetentionWindows;
  /** The legal deadlines of data-subject requests (see deadline-config.ts). */
  deadlines: DeadlineRules;
  /** How often the server runs the retention sweep; 0 turns the timer off. */
  retentionIntervalMinutes: number;
  /** Requests one principal may make per minute, counted across replicas (see RequestRateLimiter). */
  rateLimitPerMinute: number;
  /** redis:// or rediss://: rate limits are counted in that Redis instead of PostgreSQL. */
  redisUrl?: string;
  /** Where the consumers' operations live; its manifest.json lists the persisted operations, the carriers' safelist. */
  contractsDir: string;
  /** enforce: carriers may run only safelisted operations; warn: others run and are logged. */
  safelist: 'enforce' | 'warn';
  /** Where customers reach the gateway from outside, e.g. https://privacy.petto.vn: unsubscribe links start here. */
  publicUrl: string;
  /** How many days a one-click unsubscribe link stays valid. */
  unsubscribeLinkDays: number;
  /** Where customers write about their data, shown on the preference centre's pages (an address, not a URL). */
  privacyContact: string;
  /**
   * The most a GraphQL request may take before the client gets SERVICE_UNAVAILABLE. On real
   * PostgreSQL it is also each statement's statement_timeout and the longest wait for a
   * pooled connection: no statement needs to outlive the request it serves.
   */
  requestTimeoutMs: number;
  /** On SIGTERM, how long requests in flight may take to finish before their connections are cut. */
  shutdownGraceMs: number;
  explorer: boolean;
}

/** Per role: how many distinct customers one principal may be given personal data of per window. */
export interface DisclosureLimits {
  perRole: Partial<Record<Role, number>>;
  windowMinutes: number;
}

/** DISCLOSURE_LIMITS=MARKETING:500,SUPPORT_AGENT:800 overrides the defaults of those roles. */
function disclosureLimits(env: NodeJS.ProcessEnv): DisclosureLimits {
  const perRole = { ...DEFAULT_DISCLOSURE_LIMITS };
  for (const entry of (env.DISCLOSURE_LIMITS ?? '').split(',').filter((part) => part.trim() !== '')) {
    const [role, limit] = entry.split(':').map((part) => part.trim());
    if (!isRole(role) || limit === undefined) {
      throw new ConfigError(`DISCLOSURE_LIMITS entries look like ROLE:number, got "${entry}"`);
    }
    perRole[role] = positiveInteger(`DISCLOSURE_LIMITS for ${role}`, limit);
  }
  const windowMinutes = positiveIntegerOr(env, 'DISCLOSURE_WINDOW_MINUTES', DEFAULT_DISCLOSURE_WINDOW_MINUTES);
  return { perRole, windowMinutes };
}

function httpUrl(name: string, raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^https?:\/\/[^\s]+$/.test(raw)) throw new ConfigError(`${name} must be an http(s) URL, got "${raw}"`);
  return raw;
}

function redisUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // Not quoted back: the URL may carry the Redis password.
  if (!/^rediss?:\/\/[^\s]+$/.test(raw)) throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  return raw;
}

/** TRUST_PROXY as Express reads it: true, a number of hops, or addresses such as "loopback, 10.0.0.0/8". */
function trustProxy(raw: string | undefined): boolean | number | string {
  if (!raw || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw;
}

function preparedStatements(raw: string | undefined): boolean {
  if (raw === undefined || raw === '' || raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`DATABASE_PREPARED_STATEMENTS must be on or off, got "${raw}"`);
}

function safelistMode(raw: string | undefined, production: boolean): Config['safelist'] {
  if (raw === undefined || raw === '') return production ? 'enforce' : 'warn';
  if (raw === 'enforce' || raw === 'warn') return raw;
  throw new ConfigError(`SAFELIST must be enforce or warn, got "${raw}"`);
}

/** An absolute http(s) URL without a trailing slash. */
function publicUrl(raw: string | undefined, port: number): string {
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, got "${raw}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search !== '' || url.hash !== '') {
    throw new ConfigError(`PUBLIC_URL must be an http(s) URL without query or fragment, got "${raw}"`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** PRIVACY_CONTACT: one line of plain text, shown (escaped) on every preference page. */
function privacyContact(raw = ''): string {
  if (raw.length > 200 || /[\u0000-\u001f\u007f]/.test(raw))
    throw new ConfigError('PRIVACY_CONTACT must be one short line');
  return raw.trim() || 'privacy@petto.vn';
}

function portNumber(raw: string | undefined): number {
  const port = Number(raw ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, got "${raw}"`);
  return port;
}

/** JWT_SECRET as given, checked: long enough for HS256, and required in production. */
function givenJwtSecret(raw: string | undefined, production: boolean): string | undefined {
  if (raw !== undefined && Buffer.byteLength(raw) < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes (HS256 needs a 256-bit key)');
  }
  if (production && raw === undefined) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  }
  return raw;
}

/** RETENTION_*_DAYS and AUDIT_RETENTION_MONTHS override the policy's default windows. */
function retentionWindows(env: NodeJS.ProcessEnv): RetentionWindows {
  return {
    shippingDays: positiveIntegerOr(env, 'RETENTION_SHIPPING_DAYS', DEFAULT_RETENTION.shippingDays),
    deregisteredDays: positiveIntegerOr(env, 'RETENTION_DEREGISTERED_DAYS', DEFAULT_RETENTION.deregisteredDays),
    auditMonths: positiveIntegerOr(env, 'AUDIT_RETENTION_MONTHS', DEFAULT_RETENTION.auditMonths),
    inactiveDays: positiveIntegerOr(env, 'RETENTION_INACTIVE_DAYS', DEFAULT_RETENTION.inactiveDays),
    consentMaxAgeDays: positiveIntegerOr(env, 'CONSENT_MAX_AGE_DAYS', DEFAULT_RETENTION.consentMaxAgeDays),
  };
}

/** RETENTION_INTERVAL_MINUTES=0 turns the sweep's timer off; unset, it runs hourly. */
function retentionIntervalMinutes(env: NodeJS.ProcessEnv): number {
  return env.RETENTION_INTERVAL_MINUTES === '0' ? 0 : positiveIntegerOr(env, 'RETENTION_INTERVAL_MINUTES', 60);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = portNumber(env.PORT);
  const jwtSecret = givenJwtSecret(env.JWT_SECRET, production);
  return {
    production,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || './.data',
    preparedStatements: preparedStatements(env.DATABASE_PREPARED_STATEMENTS),
    jwtSecret: jwtSecret ?? randomBytes(32).toString('base64url'),
    jwtSecretGenerated: jwtSecret === undefined,
    jwksUrl: httpUrl('JWKS_URL', env.JWKS_URL),
    trustProxy: trustProxy(env.TRUST_PROXY),
    policyVersion: env.POLICY_VERSION || '2024-01',
    disclosureLimits: disclosureLimits(env),
    retention: retentionWindows(env),
    deadlines: deadlineRules(env),
    retentionIntervalMinutes: retentionIntervalMinutes(env),
    rateLimitPerMinute: positiveIntegerOr(env, 'RATE_LIMIT_PER_MINUTE', 600),
    redisUrl: redisUrl(env.REDIS_URL),
    contractsDir: resolve(env.CONTRACTS_DIR || 'contracts'),
    safelist: safelistMode(env.SAFELIST, production),
    publicUrl: publicUrl(env.PUBLIC_URL, port),
    unsubscribeLinkDays: positiveIntegerOr(env, 'UNSUBSCRIBE_LINK_DAYS', 30),
    privacyContact: privacyContact(env.PRIVACY_CONTACT),
    requestTimeoutMs: positiveIntegerOr(env, 'REQUEST_TIMEOUT_MS', 10_000),
    // Draining and then closing the database fits inside `docker stop`'s 10 s before SIGKILL.
    shutdownGraceMs: positiveIntegerOr(env, 'SHUTDOWN_GRACE_MS', 8_000),
    explorer: env.EXPLORER === 'on' || (!production && env.EXPLORER !== 'off'),
  };
}
