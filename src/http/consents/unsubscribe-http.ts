import type express from 'express';
import type { RequestRateLimiter } from '../../auth/rate-limit';
import { logger } from '../../logger';
import { BAD_REQUEST, FAILURE, renderPage, tooMany, type HtmlPage } from './unsubscribe.page';

/** What the unsubscribe routes and the preference centre share at the HTTP edge. */

/** Headers every answer carries: the URL holds a token, so nothing is cached, framed or referred. */
export function secure(res: express.Response): void {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
}

export function sendHtml(res: express.Response, status: number, html: string): void {
  res.status(status).type('html').send(html);
}

export function sendPage(res: express.Response, status: number, content: HtmlPage): void {
  sendHtml(res, status, renderPage(content));
}

type Format = 'html' | 'json' | 'text';

/** Mail providers' one-click POSTs get plain text; a browser's form gets a page; JSON if asked for. */
export function formatOf(req: express.Request): Format {
  const accepted = req.accepts(['text', 'html', 'json']);
  return accepted === 'html' || accepted === 'json' ? accepted : 'text';
}

export function answer(
  res: express.Response,
  format: Format,
  status: number,
  content: HtmlPage,
  json: Record<string, unknown>,
): void {
  if (format === 'html') return sendPage(res, status, content);
  if (format === 'json') {
    res.status(status).json(json);
    return;
  }
  res.status(status).type('text').send(`${content.vi}\n${content.en}\n`);
}

/** A single string parameter; a repeated or missing one is not a link of ours. */
export function singleValue(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Every request first: the security headers, then the per-address rate (429 past it). */
export function limitPerAddress(rateLimiter: RequestRateLimiter): express.RequestHandler {
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

/** A body too large or malformed: answered in both languages, never a stack trace. */
export const unreadableRequest: express.ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
  if (status === 500) logger.error({ err: error }, 'unsubscribe request failed');
  const content: HtmlPage = status === 500 ? FAILURE : BAD_REQUEST;
  answer(res, formatOf(req), status, content, { error: { code: 'BAD_REQUEST', message: content.en } });
};
