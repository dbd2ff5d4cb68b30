import { trace } from '@opentelemetry/api';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../context';
import { decisionAttributes } from '../disclosure/decision-attributes';

/** Reports a request's decisions once they are final (installed only when tracing is on). */
export type DecisionReporter = (context: RequestContext, errors: readonly GraphQLFormattedError[] | undefined) => void;

/**
 * Adds the policy's decisions (see decisionAttributes) to the request's span: the HTTP
 * server span that the tracing SDK keeps active while Apollo answers. Called by the
 * disclosure audit after it has taken back what the budget did not cover, so that the
 * trace shows what the caller really got.
 */
export function traceDecisions(): DecisionReporter {
  return (context, errors) => {
    trace.getActiveSpan()?.setAttributes(decisionAttributes(context, errors));
  };
}
