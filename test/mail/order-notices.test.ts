import { describeOnEachDatabase } from '../support/gateway';
import {
  ASSIGN_CARRIER,
  GHN,
  GRANT_CONSENT,
  ORDER_PROCESSOR,
  SUPPORT,
  UPDATE_DELIVERY_STATUS,
  UPDATE_ORDER_STATUS,
  writesThrough,
} from '../support/mutations';
import { mailThrough, rawHeader, type ReceivedMail } from '../support/mail';

/**
 * Order notices (issue 11): under ORDER_PROCESSING the gateway tells the customer about
 * their order — placed, handed to the carrier, out for delivery, delivered, cancelled —
 * from the outbox written with the change. Transactional: no unsubscribe headers.
 */
describeOnEachDatabase('order notices sent by the gateway', (gateway) => {
  const { register, place, run } = writesThrough(gateway);
  const mailer = mailThrough(gateway);

  async function sentTo(customerId: string): Promise<ReceivedMail[]> {
    await mailer.worker.drain();
    return mailer.smtp.to(await mailer.emailOf(customerId));
  }

  function subjects(received: ReceivedMail[]): string[] {
    return received.map(({ mail }) => mail.subject ?? '');
  }

  test('placed, handed to the carrier, out for delivery, delivered: one notice each, in order, no unsubscribe headers', async () => {
    const customer = await register({ fullName: 'Trần Thị Bích' });
    const order = await place(customer.id);
    expect(subjects(await sentTo(customer.id))).toEqual([expect.stringContaining('đã được tiếp nhận')]);

    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CONFIRMED' });
    await run(ORDER_PROCESSOR, ASSIGN_CARRIER, { orderId: order.id, carrierId: 'ghn', trackingNumber: 'GHN-1' });
    expect(await sentTo(customer.id)).toHaveLength(1);
    for (const status of ['PICKED_UP', 'IN_TRANSIT', 'DELIVERED']) {
      await run(GHN, UPDATE_DELIVERY_STATUS, { orderId: order.id, status });
      await mailer.worker.drain();
    }
    const received = await sentTo(customer.id);
    expect(subjects(received)).toEqual([
      expect.stringContaining('đã được tiếp nhận'),
      expect.stringContaining('has been handed to the carrier'),
      expect.stringContaining('is out for delivery'),
      expect.stringContaining('has been delivered'),
    ]);
    for (const message of received) {
      expect(rawHeader(message, 'List-Unsubscribe')).toBeUndefined();
      expect(rawHeader(message, 'List-Unsubscribe-Post')).toBeUndefined();
      expect(message.mail.messageId).toMatch(/^<[0-9a-f-]{36}@petto\.test>$/);
      expect(message.mail.text).toContain(`Chào Bích,\nĐơn hàng ${order.code}`);
      expect(message.mail.text!.indexOf('Chào')).toBeLessThan(message.mail.text!.indexOf('Hello'));
    }
    expect(received[1].mail.text).toContain('GHN-1');
    // No thank-you letter: she never asked for one.
    expect(received).toHaveLength(4);
  });

  test('a thank-you letter follows delivery only with THANK_YOU consent, and carries the unsubscribe headers', async () => {
    const customer = await register();
    await run(SUPPORT, GRANT_CONSENT, { customerId: customer.id, topic: 'THANK_YOU', channel: 'HOTLINE' });
    const order = await place(customer.id);
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CONFIRMED' });
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'SHIPPED' });
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'DELIVERED' });
    const received = await sentTo(customer.id);
    const thanks = received.filter(({ mail }) => mail.subject?.includes('Thank you from Petto'));
    expect(thanks).toHaveLength(1);
    expect(rawHeader(thanks[0], 'List-Unsubscribe')).toMatch(/^<https:\/\/privacy\.petto\.test\/unsubscribe\?token=/);
    expect(rawHeader(thanks[0], 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(thanks[0].mail.text).toContain('thư cảm ơn');
  });

  test('a cancelled order gets its cancellation; a notice still queued when the order closed is not sent', async () => {
    const customer = await register();
    const order = await place(customer.id);
    await run(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, { orderId: order.id, status: 'CANCELLED' });
    // Both the confirmation and the cancellation were queued while the order was open; only the
    // cancellation announces the closing, so the confirmation, now stale, is not sent.
    const received = await sentTo(customer.id);
    expect(subjects(received)).toEqual([expect.stringContaining('has been cancelled')]);
    const [stale] = await gateway().database.dataSource.query(
      `SELECT status, skip_reason FROM outbox_messages WHERE order_id = $1 AND notice = 'PLACED'`,
      [order.id],
    );
    expect(stale).toEqual({ status: 'SKIPPED', skip_reason: 'RETENTION_EXPIRED' });
  });

  test('a refused change queues nothing: the notice is written with the change or not at all', async () => {
    const customer = await register();
    const order = await place(customer.id);
    await mailer.worker.drain();
    const before = await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM outbox_messages');
    const refused = await gateway().query(ORDER_PROCESSOR, UPDATE_ORDER_STATUS, {
      orderId: order.id,
      status: 'DELIVERED',
    });
    expect(refused.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(await gateway().database.dataSource.query('SELECT count(*)::int AS n FROM outbox_messages')).toEqual(before);
  });
});
