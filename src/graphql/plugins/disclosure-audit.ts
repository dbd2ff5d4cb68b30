import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../context';
import { denialError } from '../errors';
import { auditResponse } from '../disclosure/audit-response';
import type { DecisionReporter } from './trace-decisions';

/**
 * Why: every use of personal data is written down before the caller sees it (design: P7), and a
 * principal may reach only so many customers per window (design: P9). After execution, before
 * the response leaves, the request's uses are audited and the budget spent in one
 * statement; values the budget no longer covers, or all released values when the write
 * fails (fail closed), are taken back. Then each withheld coordinate and reason becomes
 * one error. The decisions, now final, go to `reportDecisions` (the trace) when given.
 */
export function disclosureAudit(reportDecisions?: DecisionReporter): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // No ledger for a caller without a token: it reaches no personal data.
          if (contextValue.disclosures) {
            const added = await auditResponse(contextValue, result);
            added.push(...contextValue.disclosures.withheld().map((denial) => denialError(denial).toJSON()));
            if (added.length > 0) result.errors = [...(result.errors ?? []), ...added];
          }
          reportDecisions?.(contextValue, result.errors);
        },
      };
    },
  };
}
