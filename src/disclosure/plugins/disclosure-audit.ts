import type { ApolloServerPlugin } from '@apollo/server';
import type { DisclosureLimits } from '../../config';
import type { RequestContext } from '../../graphql/context';
import { denialError } from '../../graphql/errors';
import { auditResponse } from '../audit-response';
import { loadDisclosureBudget } from '../budget';
import { touchesPersonalData } from '../touches-personal-data';

/**
 * Why: every use of personal data is written down before the caller sees it (P7), and a
 * principal may reach only so many customers per window (P9). Before execution, an
 * operation that can use personal data gets the principal's budget, read from the audit
 * trail. After execution, before the response leaves, the request's uses are audited in
 * one statement, or, when that write fails, every released value is taken back (fail
 * closed); then each withheld coordinate and reason becomes one error.
 */
export function disclosureAudit(limits: DisclosureLimits): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, schema }) {
          if (contextValue.principal === undefined) return;
          // Only an operation that can release personal data needs the budget read first.
          if (touchesPersonalData(schema, document)) await loadDisclosureBudget(contextValue, limits);
        },

        async willSendResponse({ response, contextValue }) {
          // No ledger for a caller without a token: it reaches no personal data.
          if (response.body.kind !== 'single' || !contextValue.disclosures) return;
          const result = response.body.singleResult;
          const added = await auditResponse(contextValue, result);
          added.push(...contextValue.disclosures.withheld().map((denial) => denialError(denial).toJSON()));
          if (added.length > 0) result.errors = [...(result.errors ?? []), ...added];
        },
      };
    },
  };
}
