import type { IncomingMessage } from 'node:http';
import type { Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The orchestrator's polls: traced, they would bury the requests. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** What the HTTP instrumentation writes in place of a redacted value. */
const REDACTED = 'REDACTED';

/** A collector that does not answer must not hold up a stop, which `docker stop` cuts at 10 s. */
const FLUSH_WITHIN_MS = 2_000;

let started = false;

/**
 * The GraphQL instrumentation records each document with its literal values as `*` but
 * keeps its comments' text, and a comment may hold anything (`# called by Lan, 0912…`).
 * The document is left out; the operation's type and name stay on the span.
 */
const documentLeftOut: SpanProcessor = {
  onStart: () => undefined,
  onEnding: (span: Span) => {
    if (span.attributes['graphql.source'] !== undefined) span.setAttribute('graphql.source', REDACTED);
  },
  onEnd: () => undefined,
  forceFlush: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
};

/** Whether startTracing started the SDK in this process. */
export function tracingStarted(): boolean {
  return started;
}

/**
 * Starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT is set (the SDK reads it and the
 * other OTEL_* variables itself), or when a test gives its own exporter. Traced: each
 * HTTP request, its GraphQL parse, validation and execution, and its SQL statements.
 * The instrumentations patch `http`, `graphql` and `pg` as they load, so this must run
 * before anything imports them. Off, it loads nothing: the SDK costs most of a second.
 *
 * Personal data stays out of the spans: no GraphQL document, variable or resolver span, SQL
 * without its parameters, and the unsubscribe link's token and the caller's address redacted.
 * What the policy decided is added by the trace-decisions plugin.
 */
export function startTracing(
  env: NodeJS.ProcessEnv = process.env,
  exporter?: SpanExporter,
): (() => Promise<boolean>) | undefined {
  if (!exporter && !env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { SimpleSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { GraphQLInstrumentation } =
    require('@opentelemetry/instrumentation-graphql') as typeof import('@opentelemetry/instrumentation-graphql');
  const { PgInstrumentation } =
    require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  // The processors NodeSDK makes from OTEL_TRACES_EXPORTER, OTEL_EXPORTER_OTLP_* (not in its index).
  const { getSpanProcessorsFromEnv } =
    require('@opentelemetry/sdk-node/build/src/utils') as typeof import('@opentelemetry/sdk-node/build/src/utils');
  const exporting = exporter ? [new SimpleSpanProcessor(exporter)] : getSpanProcessorsFromEnv(undefined);
  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || 'petto-gateway',
    // Ahead of the exporting ones, which take the span once it has ended.
    spanProcessors: [documentLeftOut, ...exporting],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0]),
        redactedQueryParamsServer: ['token'],
        // A caller's address is personal data when the caller is a customer (an unsubscribe link's click).
        startIncomingSpanHook: () => ({ 'client.address': REDACTED, 'network.peer.address': REDACTED }),
      }),
      new GraphQLInstrumentation({ allowValues: false, ignoreResolveSpans: true, depth: 0 }),
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  sdk.start();
  started = true;
  // Resolves with whether the spans still buffered were sent.
  return () =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), FLUSH_WITHIN_MS);
      sdk.shutdown().then(
        () => resolve(true),
        () => resolve(false),
      );
      timer.unref();
    });
}
