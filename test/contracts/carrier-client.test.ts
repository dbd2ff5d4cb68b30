import { fetchDeliveries, GatewayError, runSheet } from '../../examples/carrier-client';
import { describeOnEachDatabase } from '../support/gateway';

describeOnEachDatabase(
  'examples/carrier-client.ts against the gateway (SAFELIST=enforce)',
  (gateway) => {
    test('a carrier fetches its deliveries with the typed client, by persisted id, and prints its run sheet', async () => {
      const token = await gateway().token('CARRIER', 'ghn');
      const deliveries = await fetchDeliveries(gateway().url, token, 1);
      expect(deliveries.length).toBeGreaterThan(0);
      for (const delivery of deliveries) {
        expect(delivery.shipment).toMatchObject({ carrierId: 'ghn', recipientPhone: expect.stringMatching(/^\+84/) });
      }
      const sheet = runSheet(deliveries);
      expect(sheet).toHaveLength(deliveries.length);
      expect(sheet[0]).toContain(deliveries[0].code);
      expect(sheet[0]).toContain(deliveries[0].shipment!.recipientPhone!);
    });

    test("another carrier's token gets only that carrier's deliveries", async () => {
      const deliveries = await fetchDeliveries(gateway().url, await gateway().token('CARRIER', 'viettel-post'));
      expect(deliveries.every((delivery) => delivery.shipment?.carrierId === 'viettel-post')).toBe(true);
    });

    test('a role that reaches no deliveries gets the policy refusal, not data', async () => {
      const refused = fetchDeliveries(gateway().url, await gateway().token('ANALYST'));
      await expect(refused).rejects.toBeInstanceOf(GatewayError);
      await expect(refused).rejects.toMatchObject({ codes: ['FORBIDDEN'] });
    });
  },
  { SAFELIST: 'enforce' },
);
