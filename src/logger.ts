import pino from 'pino';

/** JSON lines on stdout; LOG_LEVEL=silent keeps tests quiet. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { service: 'petto-gateway' },
});
