import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { RequestDisclosures } from '../../src/disclosure/request-disclosures';
import { createApollo } from '../../src/graphql/apollo';
import type { GatewayContext } from '../../src/graphql/context';
import { buildGatewaySchema } from '../../src/graphql/schema';
import { DEFAULT_RETENTION, type Principal } from '../../src/policy';

/**
 * Apollo runs the plugins' `didResolveOperation` hooks together. The gates refuse
 * synchronously, so an operation they refuse never starts the audit plugin's read of the
 * principal's budget: these requests run without a database, and any read would show.
 */
describe('the gates refuse before the disclosure budget is read', () => {
  const apollo = createApollo(buildGatewaySchema(), {
    production: false,
    contractsDir: join(__dirname, '../../contracts'),
    safelist: 'enforce',
    disclosureLimits: { perRole: { CARRIER: 1000, SUPPORT_AGENT: 500 }, windowMinutes: 60 },
  });
  const query = jest.fn(async () => []);

  function contextOf(principal: Principal): GatewayContext {
    const clock = { now: new Date(), retention: DEFAULT_RETENTION };
    return {
      requestId: '00000000-0000-4000-8000-000000000000',
      principal,
      declaredPurpose: undefined,
      db: { manager: { query } } as unknown as DataSource,
      clock,
      policyVersion: 'test',
      loaders: {} as GatewayContext['loaders'],
      disclosures: new RequestDisclosures(principal, undefined, clock),
      unsubscribeLinks: {} as GatewayContext['unsubscribeLinks'],
    };
  }

  const UNREGISTERED = '{ deliveries { edges { node { shipment { recipientName } } } } }';

  beforeAll(() => apollo.start());
  afterAll(() => apollo.stop());
  beforeEach(() => query.mockClear());

  test("a carrier's unregistered operation", async () => {
    const response = await apollo.executeOperation(
      { query: UNREGISTERED },
      { contextValue: contextOf({ id: 'carrier-1', role: 'CARRIER', carrierId: 'ghn' }) },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.errors?.[0].extensions?.code).toBe(
      'OPERATION_NOT_ALLOWED',
    );
    expect(query).not.toHaveBeenCalled();
  });

  test('while an operation that passes them reads it first', async () => {
    await apollo.executeOperation(
      { query: '{ customer(id: "00000000-0000-4000-8000-000000000001") { email } }' },
      { contextValue: contextOf({ id: 'agent-1', role: 'SUPPORT_AGENT' }) },
    );
    expect(query.mock.calls[0]).toEqual([expect.stringContaining('FROM audit_events'), expect.anything()]);
  });
});
