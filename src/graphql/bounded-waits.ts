import type { ApolloServerPlugin } from '@apollo/server';
import type express from 'express';
import { isDatabaseTimeout } from '../db/errors';
import type { RequestContext } from './context';
import { SERVICE_UNAVAILABLE_STATUS, serviceUnavailable } from './errors';

/**
 * A statement ended by statement_timeout, or no pooled connection in time, is the database
 * not answering rather than a fault of the gateway: each such error becomes
 * SERVICE_UNAVAILABLE and the response 503, instead of a masked INTERNAL_SERVER_ERROR.
 * The rest of the response stays as it is, and is audited as usual. Registered before
 * the disclosure audit, whose willSendResponse adds its errors after the ones this one
 * rewrites one for one.
 */
export function databaseTimeoutPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ errors, response, contextValue }) {
          if (errors === undefined || response.body.kind !== 'single') return;
          // Apollo formats its errors one for one, in order.
          const timedOut = errors.map((error) => isDatabaseTimeout(error.originalError ?? error));
          if (!timedOut.includes(true)) return;
          const result = response.body.singleResult;
          result.errors = result.errors?.map((formatted, i) =>
            timedOut[i]
              ? serviceUnavailable(
                  'the database did not answer in time; try again later',
                  contextValue.requestId,
                  formatted.path,
                )
              : formatted,
          );
          response.http.status = SERVICE_UNAVAILABLE_STATUS;
        },
      };
    },
  };
}

/**
 * The request deadline: when `handler` has not answered within `timeoutMs`, the client
 * gets SERVICE_UNAVAILABLE (503) at once, on PGlite as on PostgreSQL. The work goes on
 * unseen until it ends (on PostgreSQL statement_timeout ends a stalled statement), and
 * its late result is never sent: Node refuses a second answer to one request
 * (ERR_HTTP_HEADERS_SENT) before writing a byte of it.
 */
export function withDeadline(timeoutMs: number, handler: express.RequestHandler): express.RequestHandler {
  return async (req, res, next) => {
    let answeredAtDeadline = false;
    const deadline = setTimeout(() => {
      if (res.headersSent) return;
      answeredAtDeadline = true;
      res.status(SERVICE_UNAVAILABLE_STATUS).json({
        errors: [serviceUnavailable(`no answer within ${timeoutMs} ms; try again later`, res.locals.requestId)],
      });
    }, timeoutMs);
    try {
      await handler(req, res, next);
    } catch (error) {
      if (!(answeredAtDeadline && (error as NodeJS.ErrnoException).code === 'ERR_HTTP_HEADERS_SENT')) throw error;
    } finally {
      clearTimeout(deadline);
    }
  };
}
