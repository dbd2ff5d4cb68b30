// A gateway with tracing into memory, in a process of its own: jest loads modules its own
// way, past the hooks through which OpenTelemetry patches http, graphql and pg.
// Run by tracing.test.ts: node -r ts-node/register/transpile-only traced-gateway.ts <database>
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { startTracing } from '../../src/tracing';

const exporter = new InMemorySpanExporter();
const stopTracing = startTracing({}, exporter);

/** A span as the test reads it (spans themselves do not cross processes). */
export interface SpanRecord {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Record<string, unknown>;
  events: { name: string; attributes?: Record<string, unknown> }[];
}

async function main(): Promise<void> {
  // Only now the gateway, so that the instrumentations see its modules load.
  require('reflect-metadata');
  const { TestGateway } = require('../support/gateway') as typeof import('../support/gateway');
  const { TEST_DATABASES } = require('../support/databases') as typeof import('../support/databases');
  const testDatabase = TEST_DATABASES.find(({ name }) => name === process.argv[2])!;
  const gateway = await TestGateway.start(await testDatabase.open());
  exporter.reset();
  process.on('message', async (message: string) => {
    if (message === 'spans') {
      const spans: SpanRecord[] = exporter.getFinishedSpans().map((span) => ({
        name: span.name,
        kind: span.kind,
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        parentSpanId: span.parentSpanContext?.spanId,
        attributes: { ...span.attributes },
        events: span.events.map(({ name, attributes }) => ({ name, attributes })),
      }));
      process.send!({ spans });
    } else if (message === 'stop') {
      await gateway.stop();
      await stopTracing?.();
      process.exit(0);
    }
  });
  process.send!({ url: gateway.url });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
