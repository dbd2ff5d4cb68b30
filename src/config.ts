import { randomBytes } from 'node:crypto';

export interface Config {
  production: boolean;
  port: number;
  /** Real PostgreSQL when set; otherwise the embedded PGlite in `pgliteDir`. */
  databaseUrl?: string;
  pgliteDir: string;
  jwtSecret: string;
  /** True when no JWT_SECRET was given and a throwaway one was made for this run. */
  jwtSecretGenerated: boolean;
  /** The privacy policy text customers consent under (shared/policy). */
  policyVersion: string;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const port = Number(env.PORT ?? 4000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a port number, got "${env.PORT}"`);
  }
  const jwtSecret = env.JWT_SECRET;
  if (jwtSecret !== undefined && Buffer.byteLength(jwtSecret) < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 bytes (HS256 needs a 256-bit key)');
  }
  if (production && jwtSecret === undefined) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  }
  return {
    production,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    pgliteDir: env.PGLITE_DIR || './.data',
    jwtSecret: jwtSecret ?? randomBytes(32).toString('base64url'),
    jwtSecretGenerated: jwtSecret === undefined,
    policyVersion: env.POLICY_VERSION || '2024-01',
  };
}
