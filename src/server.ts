import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from './config';
import type { Database } from './db/data-source';
import { RequestRateLimiter } from './auth/rate-limit';
import { tokenVerifier } from './auth/tokens';
import { metrics, requestDuration } from './metrics';
import { UnsubscribeLinks } from './consents/unsubscribe-links';
import { unsubscribeRouter } from './consents/unsubscribe.routes';
import { createApollo } from './graphql/apollo';
import { contextFactory } from './graphql/context';
import { buildGatewaySchema } from './graphql/schema';

export interface Gateway {
  app: express.Express;
  stop(): Promise<void>;
}

type GatewayConfig = Pick<
  Config,
  | 'production'
  | 'jwtSecret'
  | 'jwksUrl'
  | 'trustProxy'
  | 'policyVersion'
  | 'disclosureLimits'
  | 'retention'
  | 'rateLimitPerMinute'
  | 'redisUrl'
  | 'contractsDir'
  | 'safelist'
  | 'publicUrl'
  | 'unsubscribeLinkDays'
>;

const REQUEST_BODY_LIMIT = '100kb';

/** Answers what never reached GraphQL (a body too large, not JSON) in the GraphQL error shape. */
const bodyErrors: express.ErrorRequestHandler = (error, _req, res, next) => {
  const status = typeof error?.status === 'number' ? error.status : 500;
  if (status >= 500) return next(error);
  const message =
    error.type === 'entity.too.large'
      ? `the request body is over ${REQUEST_BODY_LIMIT}`
      : 'the request body is not valid JSON';
  res
    .status(status)
    .json({ errors: [{ message, extensions: { code: 'BAD_REQUEST', requestId: res.locals.requestId } }] });
};

/** The HTTP face of the gateway: POST /graphql, /unsubscribe, health and metrics for the orchestrator. */
export async function createGateway(database: Database, config: GatewayConfig): Promise<Gateway> {
  const apollo = createApollo(buildGatewaySchema(), config);
  await apollo.start();
  const rateLimiter = await RequestRateLimiter.create({
    perMinute: config.rateLimitPerMinute,
    redisUrl: config.redisUrl,
    database,
  });
  const unsubscribeLinks = new UnsubscribeLinks(config);
  const context = contextFactory(database.dataSource, {
    ...config,
    verifyToken: tokenVerifier(config),
    rateLimiter,
    unsubscribeLinks,
  });

  const app = express();
  app.disable('x-powered-by');
  // Behind a load balancer the client address (which rate-limits callers without a token) comes from it.
  app.set('trust proxy', config.trustProxy);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await database.dataSource.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  // One-click unsubscribe (RFC 8058): no login, the signed link is the authority.
  app.use('/unsubscribe', unsubscribeRouter({ db: database.dataSource, links: unsubscribeLinks, rateLimiter }));
  app.use(
    '/graphql',
    (_req, res, next) => {
      res.locals.requestId = randomUUID();
      const done = requestDuration.startTimer();
      res.on('finish', () => done({ status: String(res.statusCode) }));
      res.setHeader('X-Request-Id', res.locals.requestId);
      next();
    },
    express.json({ limit: REQUEST_BODY_LIMIT }),
    expressMiddleware(apollo, {
      context: ({ req, res }) =>
        context({ headers: req.headers, requestId: res.locals.requestId, body: req.body, ip: req.ip }),
    }),
  );
  app.use('/graphql', bodyErrors);
  return {
    app,
    stop: async () => {
      await apollo.stop();
      await rateLimiter.close();
    },
  };
}

export function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve(server)));
  });
}
