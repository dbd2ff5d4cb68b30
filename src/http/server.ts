import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from '../config';
import type { Database } from '../db/data-source';
import { RequestRateLimiter } from '../auth/rate-limit';
import { tokenVerifier } from '../auth/tokens';
import { metrics, requestDuration } from '../metrics';
import { refreshRequestGauges } from '../data-subject/request-metrics';
import { UnsubscribeLinks } from '../consents/unsubscribe-links';
import { unsubscribeRouter } from './consents/unsubscribe.routes';
import { readManifest } from '../contracts/manifest';
import { persistedDocuments } from './persisted-documents';
import { createApollo } from '../graphql/apollo';
import { withDeadline } from '../graphql/bounded-waits';
import { contextFactory } from '../graphql/context';
import { explorerRouter } from './explorer/explorer.routes';
import { buildGatewaySchema } from '../graphql/schema';
import { mountDevOutbox } from './mail/dev-outbox.routes';
import type { MailConfig } from '../mail/mail-config';

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
  | 'deadlines'
  | 'rateLimitPerMinute'
  | 'redisUrl'
  | 'contractsDir'
  | 'safelist'
  | 'publicUrl'
  | 'unsubscribeLinkDays'
  | 'privacyContact'
  | 'requestTimeoutMs'
  | 'explorer'
> & { mail?: Pick<MailConfig, 'smtpUrl' | 'outboxDir'> };

const REQUEST_BODY_LIMIT = '100kb';
/** An orchestrator's probe gives up after a few seconds; a stalled database must not outlast it. */
const READINESS_WITHIN_MS = 1_000;

/** Whether `work` succeeds within `ms`; if it does not, it is left to settle unobserved. */
function succeedsWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const tooLate = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const succeeded = work.then(
    () => true,
    () => false,
  );
  return Promise.race([succeeded, tooLate]).finally(() => clearTimeout(timer));
}

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

/** Liveness, readiness (the database answers) and Prometheus metrics, for the orchestrator. */
function mountProbes(app: express.Express, database: Database): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (await succeedsWithin(database.dataSource.query('SELECT 1'), READINESS_WITHIN_MS)) {
      res.json({ status: 'ready' });
    } else {
      res.status(503).json({ status: 'database unreachable' });
    }
  });
  app.get('/metrics', async (_req, res) => {
    await refreshRequestGauges(database.dataSource, new Date());
    res.type(metrics.contentType).send(await metrics.metrics());
  });
}

/** Gives each GraphQL request its id (echoed as X-Request-Id) and times it. */
const tagRequest: express.RequestHandler = (_req, res, next) => {
  res.locals.requestId = randomUUID();
  const done = requestDuration.startTimer();
  res.on('finish', () => done({ status: String(res.statusCode) }));
  res.setHeader('X-Request-Id', res.locals.requestId);
  next();
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
  // An ETag is a hash of every answer's body; no GraphQL POST or page of ours is ever revalidated with one.
  app.set('etag', false);
  app.disable('x-powered-by');
  // Behind a load balancer the client address (which rate-limits callers without a token) comes from it.
  app.set('trust proxy', config.trustProxy);
  mountProbes(app, database);
  // One-click unsubscribe (RFC 8058) and the preference centre: no login, the signed link is the authority.
  const unsubscribe = { ...config, dataSource: database.dataSource, links: unsubscribeLinks, rateLimiter };
  app.use('/unsubscribe', unsubscribeRouter(unsubscribe));
  // Ahead of Apollo: a browser's GET /graphql gets GraphiQL, any other request goes on.
  if (config.explorer) app.use(explorerRouter(config));
  app.use(
    '/graphql',
    tagRequest,
    express.json({ limit: REQUEST_BODY_LIMIT }),
    persistedDocuments(readManifest(config.contractsDir)),
    withDeadline(
      config.requestTimeoutMs,
      expressMiddleware(apollo, {
        context: ({ req, res }) =>
          context({ headers: req.headers, requestId: res.locals.requestId, body: req.body, ip: req.ip }),
      }),
    ),
  );
  app.use('/graphql', bodyErrors);
  mountDevOutbox(app, config);
  return {
    app,
    stop: async () => {
      await apollo.stop();
      await rateLimiter.close();
    },
  };
}

/** Another process listens on the port asked for. */
export class PortInUse extends Error {}

export function listen(app: express.Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => {
      if (!error) return resolve(server);
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      reject(inUse ? new PortInUse(`port ${port} is in use`) : error);
    });
  });
}

/**
 * Prepares a graceful stop of `server` and returns it. The stop refuses new connections,
 * closes idle keep-alive ones (`close` does that since Node 19), and lets the requests in
 * flight finish, each answered with `Connection: close` so that its connection ends with
 * it. Whatever is still open after `graceMs` is cut. Resolves once every connection is gone.
 */
export function gracefulStop(server: Server): (graceMs: number) => Promise<void> {
  const unanswered = new Set<ServerResponse>();
  let stopping = false;
  // Ahead of the app, which may answer before a later listener would run.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    // A request arriving on a kept-alive connection during the stop is answered, and its connection then ends.
    if (stopping) res.setHeader('connection', 'close');
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
  return (graceMs) =>
    new Promise((resolve) => {
      stopping = true;
      for (const res of unanswered) if (!res.headersSent) res.setHeader('connection', 'close');
      const cut = setTimeout(() => server.closeAllConnections(), graceMs);
      server.close(() => {
        clearTimeout(cut);
        resolve();
      });
    });
}
