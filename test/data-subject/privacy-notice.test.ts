import { PRIVACY_OFFICER } from '../support/cases';
import { describeOnEachDatabase, errorCodes, POLICY_VERSION } from '../support/gateway';
import { ISO_DATE, STOREFRONT, SUPPORT, writesThrough } from '../support/mutations';
import { customerIdByEmail } from '../support/writes';

const NOTICE = `query($id: ID!) { customer(id: $id) { privacyNotice { version acceptedAt channel } } }`;
const OLD_NOTICE = `query($first: Int, $after: String) { customersOnOldNotice(first: $first, after: $after) {
  currentVersion total versions { version customers } customerIds pageInfo { hasNextPage endCursor } } }`;
const CURRENT = '2026-01';

/**
 * The demo shop was seeded under POLICY_VERSION 2024-01; this gateway runs under 2026-01,
 * as after the policy text changed.
 */
describeOnEachDatabase(
  'the privacy notice accepted at collection',
  (gateway) => {
    const { register } = writesThrough(gateway);

    test('registration records the notice version, when and where, even with no topic ticked', async () => {
      const customer = await register({ consents: [], consentChannel: 'CHECKOUT' });
      const response = await gateway().query(SUPPORT, NOTICE, { id: customer.id });
      expect(response.data.customer.privacyNotice).toEqual({
        version: CURRENT,
        acceptedAt: expect.stringMatching(ISO_DATE),
        channel: 'CHECKOUT',
      });
      expect(customer.consents).toEqual([]);
    });

    test('customers on an older notice are counted and listed by id for the privacy officer', async () => {
      const fresh = await register();
      const lan = await customerIdByEmail(gateway(), 'lan.nguyen@example.vn');
      const minh = await customerIdByEmail(gateway(), 'minh.tran@example.vn');
      // One registered before acceptance was recorded at all.
      await gateway().database.dataSource.query(`UPDATE customers SET privacy_notice_version = NULL WHERE id = $1`, [
        minh,
      ]);

      const first = await gateway().query(PRIVACY_OFFICER, OLD_NOTICE, { first: 100 });
      expect(first.errors).toBeUndefined();
      const report = first.data.customersOnOldNotice;
      expect(report.currentVersion).toBe(CURRENT);
      expect(report.versions).toEqual([
        { version: null, customers: 1 },
        { version: POLICY_VERSION, customers: report.total - 1 },
      ]);
      expect(report.customerIds).toEqual(expect.arrayContaining([lan, minh]));
      expect(report.customerIds).not.toContain(fresh.id);
      expect(report.customerIds).toHaveLength(report.total);
      expect(JSON.stringify(first.data)).not.toMatch(/@example\.vn|\+84/);

      // Paged like every list.
      const page = await gateway().query(PRIVACY_OFFICER, OLD_NOTICE, { first: 1 });
      const next = await gateway().query(PRIVACY_OFFICER, OLD_NOTICE, {
        first: 100,
        after: page.data.customersOnOldNotice.pageInfo.endCursor,
      });
      expect([...page.data.customersOnOldNotice.customerIds, ...next.data.customersOnOldNotice.customerIds]).toEqual(
        report.customerIds,
      );

      for (const caller of [SUPPORT, STOREFRONT, { role: 'MARKETING' as const }, { role: 'ANALYST' as const }]) {
        expect(errorCodes(await gateway().query(caller, OLD_NOTICE, {}))).toEqual(['FORBIDDEN']);
      }
    });
  },
  { POLICY_VERSION: CURRENT },
);
