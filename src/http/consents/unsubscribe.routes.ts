import express from 'express';
import type { DataSource } from 'typeorm';
import type { RequestRateLimiter } from '../../auth/rate-limit';
import { logger } from '../../logger';
import { isPreferenceForm, preferenceCentre } from './preference-centre.routes';
import { answer, formatOf, limitPerAddress, singleValue, unreadableRequest } from './unsubscribe-http';
import { outcomeMessage, UnsubscribeLinkRejected, type UnsubscribeLinks } from '../../consents/unsubscribe-links';
import { FAILURE, outcomePage, rejectionPage } from './unsubscribe.page';

/**
 * GET  /unsubscribe?token=…  the preference centre (Vietnamese, then English): the link's
 *                            own one-click button, every topic, and the cancellation of
 *                            the registration. A GET never changes anything, as mail
 *                            scanners fetch links before anyone clicks them.
 * POST /unsubscribe?token=…  RFC 8058 one-click (List-Unsubscribe-Post), no login: the
 *                            signed link is the authority.
 * POST /unsubscribe          with a `preference` field and the token in the body: one of
 *                            the centre's forms (see preference-centre.routes.ts).
 */

export interface UnsubscribeRoutes {
  dataSource: DataSource;
  links: UnsubscribeLinks;
  rateLimiter: RequestRateLimiter;
  privacyContact: string;
  policyVersion: string;
}

/** POST: redeems the link and answers in the format the client accepts. */
function oneClickUnsubscribe(dataSource: DataSource, links: UnsubscribeLinks): express.RequestHandler {
  return async (req, res) => {
    const format = formatOf(req);
    try {
      const outcome = await links.redeem(dataSource, singleValue(req.query.token));
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

/** Mounted at /unsubscribe, outside /graphql. Rate-limited per client address. */
export function unsubscribeRouter(settings: UnsubscribeRoutes): express.Router {
  const { dataSource, links, rateLimiter } = settings;
  const centre = preferenceCentre(settings);
  const oneClick = oneClickUnsubscribe(dataSource, links);
  const router = express.Router();
  router.use(limitPerAddress(rateLimiter));
  router.get('/', centre.show);
  router.post('/', express.urlencoded({ extended: false, limit: '1kb' }), (req, res, next) =>
    isPreferenceForm(req) ? centre.post(req, res, next) : oneClick(req, res, next),
  );
  router.use(unreadableRequest);
  return router;
}
