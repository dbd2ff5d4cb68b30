import type { ApolloServerPlugin } from '@apollo/server';
import { isAnonymousDocument } from '../anonymous-operation';
import type { RequestContext } from '../context';
import { tokenRequired } from '../errors';

/**
 * Why: a caller without a token may run one operation only, the lone `unsubscribe`
 * mutation, whose signed link is its authority (no login to stop mail). The context let nothing else
 * through on the raw body; this checks again on the document Apollo parsed and resolved,
 * so that no other operation ever runs without a principal.
 */
export function anonymousGate(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        // Not async: a refusal thrown here stops Apollo before the later plugins' hooks start.
        didResolveOperation({ contextValue, document }) {
          if (contextValue.principal === undefined && !isAnonymousDocument(document)) {
            throw tokenRequired();
          }
          return Promise.resolve();
        },
      };
    },
  };
}
