import express from 'express';
import type { Config } from '../../config';
import { demoTokens } from '../../demo/demo-shop';
import { PURPOSES } from '../../policy';
import { EXPLORER_ASSETS_PATH, EXPLORER_CSS, EXPLORER_PACKAGE_FILES, EXPLORER_SCRIPT } from './explorer-assets';
import { explorerPage } from './explorer.page';

type ExplorerConfig = Pick<Config, 'production' | 'jwtSecret' | 'jwksUrl'>;

const DEMO_TOKENS_PATH = `${EXPLORER_ASSETS_PATH}/demo-tokens`;

/**
 * Only the gateway's own origin, for everything: a page that tried to load anything from
 * elsewhere would be blocked, and the browser test would see it. Nothing may frame it.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const secureHeaders: express.RequestHandler = (_req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};

/**
 * Demo tokens are signed here with the gateway's own secret, so only where the demo shop
 * exists (never in production) and only when the gateway checks that secret (not with JWKS_URL).
 */
export function offersDemoTokens(config: ExplorerConfig): boolean {
  return !config.production && config.jwksUrl === undefined;
}

const LOOPBACK_ADDRESS = /^(::1|(::ffff:)?127\.\d+\.\d+\.\d+)$/;
const LOOPBACK_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/;

/**
 * A browser on this machine that asked for this machine by name. Demo tokens are signed
 * with the gateway's secret, which outside production may still be a real one: they are
 * not handed to the network (the socket's address, not `req.ip`, which a forwarded header
 * could set), nor to a page of another site whose name was made to point here (DNS
 * rebinding: its requests carry that name as Host).
 */
function fromThisMachine(req: express.Request): boolean {
  return LOOPBACK_ADDRESS.test(req.socket.remoteAddress ?? '') && LOOPBACK_HOST.test(req.headers.host ?? '');
}

/** A browser asking for a page: GET without an operation, HTML preferred to JSON. */
function wantsThePage(req: express.Request): boolean {
  return req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html';
}

/**
 * GraphiQL at GET /graphql for browsers, its files under /explorer, and (outside
 * production) the demo tokens it offers. Everything else on /graphql goes on to Apollo.
 */
export function explorerRouter(config: ExplorerConfig): express.Router {
  const router = express.Router();
  const withDemoTokens = offersDemoTokens(config);
  router.get('/graphql', (req, res, next) => {
    if (!wantsThePage(req)) return next();
    secureHeaders(req, res, () => {
      res.type('html').send(
        explorerPage({
          endpoint: '/graphql',
          purposes: PURPOSES,
          demoTokensUrl: withDemoTokens && fromThisMachine(req) ? DEMO_TOKENS_PATH : undefined,
        }),
      );
    });
  });
  router.use(EXPLORER_ASSETS_PATH, secureHeaders);
  router.get(`${EXPLORER_ASSETS_PATH}/explorer.js`, (_req, res) => {
    res.type('js').send(EXPLORER_SCRIPT);
  });
  router.get(`${EXPLORER_ASSETS_PATH}/explorer.css`, (_req, res) => {
    res.type('css').send(EXPLORER_CSS);
  });
  for (const [name, path] of Object.entries(EXPLORER_PACKAGE_FILES)) {
    router.get(`${EXPLORER_ASSETS_PATH}/${name}`, (_req, res) => {
      res.sendFile(path, { maxAge: '1d' });
    });
  }
  if (withDemoTokens) {
    router.get(DEMO_TOKENS_PATH, async (req, res, next) => {
      if (!fromThisMachine(req)) return next();
      const tokens = await demoTokens(config.jwtSecret);
      res.setHeader('Cache-Control', 'no-store');
      res.json(
        tokens.map(({ role, carrierId, token }) => ({ label: carrierId ? `${role} ${carrierId}` : role, token })),
      );
    });
  }
  return router;
}
