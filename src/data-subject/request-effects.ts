import type { EntityManager } from 'typeorm';
import { withdrawEveryTopic } from '../consents/consent.store';
import { lockCustomer } from '../customers/customer.store';
import { withdrawsConsentOnReceipt } from '../policy';
import type { RequestReceipt } from './request.store';

/**
 * What a request does by being received, before anyone handles it: an objection to
 * marketing withdraws every marketing topic at once (recorded with reason OBJECTION on
 * the channel the person used). Nothing happens, and nothing differs in the reply, when
 * no such customer exists.
 */
export async function applyOnReceipt(
  db: EntityManager,
  receipt: RequestReceipt,
  by: { actorId: string; policyVersion: string },
): Promise<void> {
  if (!withdrawsConsentOnReceipt(receipt.kind)) return;
  if (!(await lockCustomer(db, receipt.customerId))) return;
  await withdrawEveryTopic(db, {
    customerId: receipt.customerId,
    channel: receipt.channel,
    reason: 'OBJECTION',
    ...by,
  });
}
