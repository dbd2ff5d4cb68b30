import pino from 'pino';

/**
 * JSON lines on stdout; LOG_LEVEL=silent keeps tests quiet. Written through
 * process.stdout itself (not pino's own file descriptor writer) so that what reaches
 * stdout can be observed in-process, as the no-personal-data test does.
 */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
    base: { service: 'petto-gateway' },
  },
  process.stdout,
);
