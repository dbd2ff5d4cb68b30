import express from 'express';
import type { DataSource } from 'typeorm';
import type { RequestRateLimiter } from '../auth/rate-limit';
import { logger } from '../logger';
import { outcomeMessage, UnsubscribeLinkRejected, type UnsubscribeLinks } from './unsubscribe-links';
import {
  BAD_REQUEST,
  confirmationPage,
  FAILURE,
  outcomePage,
  rejectionPage,
  renderPage,
  tooMany,
  type Page,
} from './unsubscribe-page';

/**
 * GET  /unsubscribe?token=…  a small confirmation page (Vietnamese, then English) whose
 *                            button POSTs; a GET never unsubscribes, as mail scanners
 *                            fetch links before anyone clicks them.
 * POST /unsubscribe?token=…  RFC 8058 one-click (List-Unsubscribe-Post), no login: the
 *                            signed link is the authority.
 */

/** Headers every answer carries: the URL holds a token, so nothing is cached, framed or referred. */
function secure(res: express.Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

function sendPage(res: express.Response, status: number, content: Page): void {
  res.status(status).type('html').send(renderPage(content));
}

type Format = 'html' | 'json' | 'text';

/** Mail providers' one-click POSTs get plain text; a browser's form gets a page; JSON if asked for. */
function formatOf(req: express.Request): Format {
  const accepted = req.accepts(['text', 'html', 'json']);
  return accepted === 'html' || accepted === 'json' ? accepted : 'text';
}

function answer(
  res: express.Response,
  format: Format,
  status: number,
  content: Page,
  json: Record<string, unknown>,
): void {
  if (format === 'html') return sendPage(res, status, content);
  if (format === 'json') {
    res.status(status).json(json);
    return;
  }
  res.status(status).type('text').send(`${content.vi}\n${content.en}\n`);
}

/** The token as received; a repeated or missing parameter is not a link of ours. */
function tokenOf(req: express.Request): string | undefined {
  const token = req.query.token;
  return typeof token === 'string' ? token : undefined;
}

export interface UnsubscribeRoutes {
  db: DataSource;
  links: UnsubscribeLinks;
  rateLimiter: RequestRateLimiter;
}

/** Every request first: the security headers, then the per-address rate (429 past it). */
function limitPerAddress(rateLimiter: RequestRateLimiter): express.RequestHandler {
  return async (req, res, next) => {
    secure(res);
    try {
      const retryAfter = await rateLimiter.anonymousRetryAfter(req.ip);
      if (retryAfter === 0) return next();
      res.setHeader('Retry-After', String(retryAfter));
      sendPage(res, 429, tooMany(retryAfter));
    } catch (error) {
      next(error);
    }
  };
}

/** GET: the confirmation page with its button, or what the link already did; never a change. */
function showConfirmation(db: DataSource, links: UnsubscribeLinks): express.RequestHandler {
  return async (req, res) => {
    const token = tokenOf(req);
    try {
      const { link, used } = await links.inspect(db, token);
      if (used) {
        return sendPage(res, 200, outcomePage({ topics: [], alreadyUsed: true, topic: link.topic }));
      }
      sendPage(res, 200, confirmationPage(link, token as string));
    } catch (error) {
      if (error instanceof UnsubscribeLinkRejected) return sendPage(res, 400, rejectionPage(error));
      logger.error({ err: error }, 'unsubscribe page failed');
      sendPage(res, 500, FAILURE);
    }
  };
}

/** POST: redeems the link and answers in the format the client accepts. */
function oneClickUnsubscribe(db: DataSource, links: UnsubscribeLinks): express.RequestHandler {
  return async (req, res) => {
    const format = formatOf(req);
    try {
      const outcome = await links.redeem(db, tokenOf(req));
      if (!outcome.alreadyUsed) logger.info({ topics: outcome.topics }, 'unsubscribed by one-click link');
      answer(res, format, 200, outcomePage(outcome), {
        topics: outcome.topics,
        alreadyUsed: outcome.alreadyUsed,
        message: outcomeMessage(outcome),
      });
    } catch (error) {
      if (error instanceof UnsubscribeLinkRejected) {
        return answer(res, format, 400, rejectionPage(error), {
          error: { code: 'BAD_USER_INPUT', reason: error.reason, message: error.message },
        });
      }
      logger.error({ err: error }, 'one-click unsubscribe failed');
      answer(res, format, 500, FAILURE, { error: { code: 'INTERNAL_SERVER_ERROR', message: FAILURE.en } });
    }
  };
}

/** A body too large or malformed: answered in both languages, never a stack trace. */
const unreadableRequest: express.ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
  if (status === 500) logger.error({ err: error }, 'unsubscribe request failed');
  const content: Page = status === 500 ? FAILURE : BAD_REQUEST;
  answer(res, formatOf(req), status, content, { error: { code: 'BAD_REQUEST', message: content.en } });
};

/** Mounted at /unsubscribe, outside /graphql. Rate-limited per client address. */
export function unsubscribeRouter({ db, links, rateLimiter }: UnsubscribeRoutes): express.Router {
  const router = express.Router();
  router.use(limitPerAddress(rateLimiter));
  router.get('/', showConfirmation(db, links));
  router.post('/', express.urlencoded({ extended: false, limit: '1kb' }), oneClickUnsubscribe(db, links));
  router.use(unreadableRequest);
  return router;
}
