import { parse, type OperationDefinitionNode } from 'graphql';
import { exportDocument } from '../../src/data-subject/export-document';
import { readSubjectData } from '../../src/data-subject/subject-data';
import type { Database } from '../../src/db/data-source';
import { seedDemoShopIfEmpty } from '../../src/demo/demo-shop';
import { RequestDisclosures, type ResolutionPoint } from '../../src/graphql/disclosure/request-disclosures';
import { changeOrderStatus } from '../../src/orders/order.operations';
import {
  DEFAULT_DEADLINES,
  DEFAULT_RETENTION,
  PROTECTED_FIELDS,
  type FieldRule,
  type Principal,
  type Purpose,
} from '../../src/policy';
import { eraseCustomer, eraseRecipients } from '../../src/retention/erasure.operations';
import { sweepRetention } from '../../src/retention/sweep';
import { TEST_DATABASES } from '../support/databases';
import { openRequest } from '../../src/data-subject/request.store';

/**
 * A field made protected while the tests run, with no other edit anywhere: erasure,
 * the retention sweep and the data-subject export must all follow the policy to it.
 * The HTTP gateway is not started, since its schema rightly refuses a protected field
 * without a @purpose tag; the functions behind it are called instead.
 */
const ADDED_FIELD = 'Shipment.trackingNumber';
const ADDED_RULE: FieldRule = {
  category: 'user.contact.address',
  purposes: ['DATA_SUBJECT_REQUEST'],
  columns: ['tracking_number'],
};
const rules: Record<string, FieldRule> = PROTECTED_FIELDS;

const DAY = 24 * 60 * 60 * 1000;
/** Where the document stands in `{ exportCustomerData(customerId: …) { document } }`. */
const EXPORT_POINT: ResolutionPoint = {
  path: {
    prev: { prev: undefined, key: 'exportCustomerData', typename: 'Query' },
    key: 'document',
    typename: 'CustomerDataExport',
  },
  operation: parse('{ exportCustomerData(customerId: "x") { document } }').definitions[0] as OperationDefinitionNode,
  fragments: {},
};
const PRIVACY_OFFICER: Principal = { id: 'test-privacy-officer', role: 'PRIVACY_OFFICER' };
const SUPPORT_AGENT: Principal = { id: 'test-support-agent', role: 'SUPPORT_AGENT' };

function clockAt(now: Date) {
  return { now, retention: DEFAULT_RETENTION };
}

beforeAll(() => {
  rules[ADDED_FIELD] = ADDED_RULE;
});
afterAll(() => {
  delete rules[ADDED_FIELD];
});

describe.each(TEST_DATABASES)('a protected field is listed once [$name]', (testDatabase) => {
  let database: Database;
  beforeAll(async () => {
    database = await testDatabase.open();
    await seedDemoShopIfEmpty(database.dataSource, '2024-01');
  });
  afterAll(async () => {
    await database?.close();
  });

  /** The demo customer reached through her order's tracking number (every demo parcel with a carrier has one). */
  async function demoCustomer(email: string) {
    const [row] = await database.dataSource.query(
      `SELECT c.id AS "customerId", o.id AS "orderId", s.tracking_number AS "trackingNumber"
         FROM customers c JOIN orders o ON o.customer_id = c.id JOIN shipments s ON s.order_id = o.id
        WHERE c.email = $1`,
      [email],
    );
    expect(row.trackingNumber).toEqual(expect.any(String));
    return row as { customerId: string; orderId: string; trackingNumber: string };
  }

  async function exportOf(customerId: string, principal: Principal, purpose: Purpose) {
    const subject = await readSubjectData(database.dataSource.manager, customerId);
    if (!subject) throw new Error(`no customer ${customerId}`);
    const disclosures = new RequestDisclosures(principal, purpose, clockAt(new Date()));
    const document = exportDocument(subject, (field, row) => disclosures.permits(field, row, EXPORT_POINT));
    return { document, disclosures };
  }

  test('the export contains the field, released through the policy and audited', async () => {
    const { customerId, trackingNumber } = await demoCustomer('minh.tran@example.vn');
    // The data-subject purpose reads a person only under an open request of theirs.
    await database.dataSource.transaction((db) =>
      openRequest(
        db,
        { customerId, kind: 'ACCESS', channel: 'HOTLINE' },
        PRIVACY_OFFICER.id,
        new Date(),
        DEFAULT_DEADLINES,
      ),
    );
    const { document, disclosures } = await exportOf(customerId, PRIVACY_OFFICER, 'DATA_SUBJECT_REQUEST');
    expect(document.orders[0].shipment).toMatchObject({ trackingNumber, address: { district: 'Quận 1' } });
    expect(disclosures.disclosureRecords()).toEqual([
      expect.objectContaining({
        customerIds: [customerId],
        decision: 'RELEASED',
        fields: expect.arrayContaining([ADDED_FIELD]),
      }),
    ]);
  });

  test('a purpose the rule does not allow gets null, though the export also lists the field as plain data', async () => {
    const { customerId } = await demoCustomer('minh.tran@example.vn');
    const { document, disclosures } = await exportOf(customerId, SUPPORT_AGENT, 'CUSTOMER_CARE');
    expect(document.orders[0].shipment).toMatchObject({ trackingNumber: null, address: { district: 'Quận 1' } });
    expect(disclosures.withheld()).toEqual([{ coordinate: ADDED_FIELD, reason: 'PURPOSE_NOT_ALLOWED', count: 1 }]);
  });

  test('erasure nulls its column and the receipt names it', async () => {
    // Delivered, so her only order is closed and she may be erased.
    const { customerId, orderId } = await demoCustomer('ha.le@example.vn');
    const receipt = await database.dataSource.transaction((db) =>
      eraseCustomer(db, customerId, { actorId: PRIVACY_OFFICER.id, policyVersion: '2024-01' }, new Date()),
    );
    expect([...receipt.fields].sort()).toEqual(Object.keys(PROTECTED_FIELDS).sort());
    expect(receipt.fields).toContain(ADDED_FIELD);
    expect(receipt.shipmentsErased).toBe(1);
    const [shipment] = await database.dataSource.query(
      'SELECT tracking_number, recipient_phone, street, erased_at FROM shipments WHERE order_id = $1',
      [orderId],
    );
    expect(shipment).toEqual({
      tracking_number: null,
      recipient_phone: null,
      street: null,
      erased_at: expect.any(Date),
    });
  });

  test('the retention sweep nulls its column too', async () => {
    const { orderId } = await demoCustomer('lan.nguyen@example.vn');
    const everyOrder = {};
    await database.dataSource.transaction((db) => changeOrderStatus(db, everyOrder, orderId, 'CANCELLED'));
    const report = await sweepRetention(database.dataSource, {
      clock: clockAt(new Date(Date.now() + (DEFAULT_RETENTION.shippingDays + 1) * DAY)),
      policyVersion: '2024-01',
    });
    expect(report.shipmentsErased).toBeGreaterThanOrEqual(1);
    const [shipment] = await database.dataSource.query(
      'SELECT tracking_number, recipient_name FROM shipments WHERE order_id = $1',
      [orderId],
    );
    expect(shipment).toEqual({ tracking_number: null, recipient_name: null });
  });

  test('a column name that is not a plain SQL identifier is refused, not spliced into SQL', async () => {
    rules[ADDED_FIELD] = { ...ADDED_RULE, columns: ['tracking_number" = NULL; DROP TABLE orders; --'] };
    try {
      await expect(database.dataSource.transaction((db) => eraseRecipients(db, [], new Date()))).rejects.toThrow(
        'not a plain SQL identifier',
      );
    } finally {
      rules[ADDED_FIELD] = ADDED_RULE;
    }
  });
});
