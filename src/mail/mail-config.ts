import { join } from 'node:path';
import { ConfigError, positiveIntegerOr } from '../config-values';

/** How the gateway sends Petto's emails (see docs/mail.md). */
export interface MailConfig {
  /** smtp:// or smtps://; unset: messages are written as .eml files to `outboxDir`. */
  smtpUrl?: string;
  /** The From header, e.g. "Petto <no-reply@petto.vn>"; its domain ends every Message-ID. */
  from: string;
  /** Messages all replicas together may hand to the mail server per minute. */
  ratePerMinute: number;
  /** Attempts per message before it is given up as FAILED. */
  maxAttempts: number;
  /** The wait after a first failed attempt; it doubles with each further one. */
  retryBaseSeconds: number;
  /** Where .eml files go without SMTP_URL. */
  outboxDir: string;
}

function smtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // Not quoted back: the URL may carry the mail server's password.
  if (!/^smtps?:\/\/[^\s]+$/.test(raw)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL');
  return raw;
}

function fromHeader(raw: string | undefined): string {
  const from = raw?.trim() || 'Petto <no-reply@petto.vn>';
  if (/[\r\n]/.test(from) || !/@[^\s>@]+>?$/.test(from)) {
    throw new ConfigError('MAIL_FROM must be an address, e.g. "Petto <no-reply@petto.vn>"');
  }
  return from;
}

/**
 * Read apart from `loadConfig` (main.ts passes it along): SMTP_URL, MAIL_FROM and the rest.
 * The data folder holds the embedded database; the .eml files sit in it, in outbox/.
 */
export function loadMailConfig(env: NodeJS.ProcessEnv, dataDir: string): MailConfig {
  const folder = dataDir.startsWith('memory://') ? './.data' : dataDir;
  return {
    smtpUrl: smtpUrl(env.SMTP_URL),
    from: fromHeader(env.MAIL_FROM),
    ratePerMinute: positiveIntegerOr(env, 'MAIL_RATE_PER_MINUTE', 600),
    maxAttempts: positiveIntegerOr(env, 'MAIL_MAX_ATTEMPTS', 5),
    retryBaseSeconds: positiveIntegerOr(env, 'MAIL_RETRY_SECONDS', 60),
    outboxDir: env.MAIL_OUTBOX_DIR || join(folder, 'outbox'),
  };
}

/** The domain of the From address: the right-hand side of every Message-ID the gateway makes. */
export function messageIdDomain(from: string): string {
  return from.match(/@([^\s>@]+)>?$/)?.[1] ?? 'petto.vn';
}
