import express from 'express';
import type { DataSource } from 'typeorm';
import type { RequestRateLimiter } from '../auth/rate-limit';
import { logger } from '../logger';
import type { ConsentTopic } from '../policy';
import {
  outcomeMessage,
  UnsubscribeLinkRejected,
  type UnsubscribeLink,
  type UnsubscribeLinks,
  type UnsubscribeOutcome,
} from './unsubscribe-links';

/**
 * GET  /unsubscribe?token=…  a small confirmation page (Vietnamese, then English) whose
 *                            button POSTs; a GET never unsubscribes, as mail scanners
 *                            fetch links before anyone clicks them.
 * POST /unsubscribe?token=…  RFC 8058 one-click (List-Unsubscribe-Post), no login: the
 *                            signed link is the authority.
 */

const TOPIC_WORDS: Record<ConsentTopic | 'ALL', { vi: string; en: string }> = {
  PROMOTIONS: { vi: 'email khuyến mãi', en: 'promotional emails' },
  PET_CARE_ADVICE: { vi: 'email tư vấn chăm sóc thú cưng', en: 'pet care advice emails' },
  NEWSLETTER: { vi: 'bản tin', en: 'the newsletter' },
  GREETINGS: { vi: 'email chúc mừng', en: 'greetings emails' },
  ALL: { vi: 'mọi email tiếp thị', en: 'all marketing emails' },
};

function wordsFor(topic: ConsentTopic | undefined) {
  return TOPIC_WORDS[topic ?? 'ALL'];
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}

interface Page {
  title: string;
  vi: string;
  en: string;
  /** The token to POST back, when the page offers the button. */
  confirmToken?: string;
}

/** Self-contained: no external assets, nothing to fetch, nothing that could leak the token. */
function page({ title, vi, en, confirmToken }: Page): string {
  const form =
    confirmToken === undefined
      ? ''
      : `
    <form method="post" action="?token=${escapeHtml(encodeURIComponent(confirmToken))}">
      <input type="hidden" name="List-Unsubscribe" value="One-Click">
      <button type="submit"><span lang="vi">Hủy đăng ký</span> · <span lang="en">Unsubscribe</span></button>
    </form>`;
  return `<!doctype html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="robots" content="noindex">
  <title>${escapeHtml(title)}</title>
  <style>
    body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; padding: 0 1rem; color: #222; }
    section + section { margin-top: 1.5rem; padding-top: 1.5rem; border-top: 1px solid #ddd; }
    button { font-size: 1rem; padding: .6rem 1.2rem; border: 0; border-radius: .3rem; background: #b03a2e; color: #fff; cursor: pointer; }
  </style>
</head>
<body>
  <main>
    <section lang="vi"><p>${escapeHtml(vi)}</p></section>
    <section lang="en"><p>${escapeHtml(en)}</p></section>${form}
  </main>
</body>
</html>
`;
}

function confirmationPage(link: UnsubscribeLink, token: string): Page {
  const { vi, en } = wordsFor(link.topic);
  return {
    title: 'Hủy đăng ký · Unsubscribe',
    vi: `Bạn muốn ngừng nhận ${vi} từ Petto? Bấm nút bên dưới để xác nhận.`,
    en: `Stop receiving ${en} from Petto? Press the button below to confirm.`,
    confirmToken: token,
  };
}

function outcomePage(outcome: UnsubscribeOutcome): Page {
  const { vi, en } = wordsFor(outcome.topic);
  if (outcome.alreadyUsed) {
    return {
      title: 'Đã hủy đăng ký · Already unsubscribed',
      vi: `Liên kết này đã được sử dụng: bạn đã ngừng nhận ${vi} từ Petto.`,
      en: `This link has already been used: you no longer receive ${en} from Petto.`,
    };
  }
  return {
    title: 'Đã hủy đăng ký · Unsubscribed',
    vi: `Bạn đã ngừng nhận ${vi} từ Petto. Thay đổi có hiệu lực ngay lập tức.`,
    en: `You will no longer receive ${en} from Petto. This takes effect immediately.`,
  };
}

function rejectionPage(rejection: UnsubscribeLinkRejected): Page {
  if (rejection.reason === 'EXPIRED') {
    return {
      title: 'Liên kết đã hết hạn · Link expired',
      vi: 'Liên kết hủy đăng ký này đã hết hạn; không có gì thay đổi. Hãy dùng liên kết trong một email mới hơn, hoặc liên hệ Petto.',
      en: 'This unsubscribe link has expired; nothing was changed. Please use the link in a more recent email, or contact Petto.',
    };
  }
  return {
    title: 'Liên kết không hợp lệ · Invalid link',
    vi: 'Liên kết hủy đăng ký này không hợp lệ; không có gì thay đổi. Hãy dùng đúng liên kết trong email, hoặc liên hệ Petto.',
    en: 'This unsubscribe link is not valid; nothing was changed. Please use the exact link from the email, or contact Petto.',
  };
}

const FAILURE: Page = {
  title: 'Lỗi · Error',
  vi: 'Đã có lỗi xảy ra; không có gì thay đổi. Vui lòng thử lại sau.',
  en: 'Something went wrong; nothing was changed. Please try again later.',
};

function tooMany(retryAfter: number): Page {
  return {
    title: 'Quá nhiều yêu cầu · Too many requests',
    vi: `Quá nhiều yêu cầu; vui lòng thử lại sau ${retryAfter} giây.`,
    en: `Too many requests; please try again in ${retryAfter} seconds.`,
  };
}

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
  res.status(status).type('html').send(page(content));
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

/** Mounted at /unsubscribe, outside /graphql. Rate-limited per client address. */
export function unsubscribeRouter({ db, links, rateLimiter }: UnsubscribeRoutes): express.Router {
  const router = express.Router();

  router.use(async (req, res, next) => {
    secure(res);
    try {
      const retryAfter = await rateLimiter.anonymousRetryAfter(req.ip);
      if (retryAfter === 0) return next();
      res.setHeader('Retry-After', String(retryAfter));
      sendPage(res, 429, tooMany(retryAfter));
    } catch (error) {
      next(error);
    }
  });

  router.get('/', async (req, res) => {
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
  });

  router.post('/', express.urlencoded({ extended: false, limit: '1kb' }), async (req, res) => {
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
  });

  // A body too large or malformed: answered in both languages, never a stack trace.
  router.use(((error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error }, 'unsubscribe request failed');
    const content: Page =
      status === 500
        ? FAILURE
        : {
            title: 'Yêu cầu không hợp lệ · Bad request',
            vi: 'Yêu cầu không hợp lệ; không có gì thay đổi.',
            en: 'The request could not be read; nothing was changed.',
          };
    answer(res, formatOf(req), status, content, { error: { code: 'BAD_REQUEST', message: content.en } });
  }) as express.ErrorRequestHandler);

  return router;
}
