/**
 * Sending: the gateway uses a person's address to send them a message, without showing
 * it to anyone. Decided per recipient at the moment of sending, from the same facts a
 * read of the address would be, so that a withdrawal, a cancelled registration or an
 * erasure between queueing and sending stops the message.
 */
import { isObjectedTo, restrictionWithholds } from './cases';
import { deny } from './denial';
import { LEGAL_BASIS, MESSAGE_RULES, PURPOSES_AFTER_DEREGISTRATION, type MessageKind } from './rules';
import type { Decision, OpenRequest } from './terms';
import type { ConsentTopic } from './vocabulary';

/** What is true of the recipient (and, for order notices, of the order) when the message is about to go. */
export interface RecipientFacts {
  /** The person's data was erased. */
  erased: boolean;
  /** The person cancelled their registration (design: P6). */
  deregistered: boolean;
  /** For kinds that need a topic's consent: whether the latest consent to it is GRANTED. */
  consentGranted?: boolean;
  /**
   * For messages about an order: the order is open, or the message is the notice of its
   * closing. Notices queued before an order closed are not sent after it.
   */
  orderStillOpen?: boolean;
  /** The person's open data-subject requests: a restriction or an objection stops mail too. */
  openRequests?: readonly OpenRequest[];
}

export function decideSend(kind: MessageKind, recipient: RecipientFacts): Decision {
  const rule = MESSAGE_RULES[kind];
  if (recipient.erased) return deny('RETENTION_EXPIRED');
  // The address is no shipping block: while the person's data is restricted, no mail uses it.
  if (restrictionWithholds(rule.purpose, false, recipient)) return deny('RESTRICTED');
  if (rule.topic !== undefined && recipient.consentGranted !== true) return deny('CONSENT_REQUIRED');
  if (isObjectedTo(rule.purpose, recipient)) return deny('CONSENT_REQUIRED');
  if (recipient.orderStillOpen === false) return deny('RETENTION_EXPIRED');
  if (recipient.deregistered) {
    // After deregistration only the orders already open are still served, and nothing that rests on consent.
    const servesOpenOrder = recipient.orderStillOpen === true && PURPOSES_AFTER_DEREGISTRATION.includes(rule.purpose);
    if (LEGAL_BASIS[rule.purpose] === 'CONSENT' || !servesOpenOrder) return deny('RETENTION_EXPIRED');
  }
  return { allowed: true, purpose: rule.purpose };
}

/** Whether messages of this kind rest on a topic's consent, and so carry an unsubscribe link. */
export function isUnsubscribable(kind: MessageKind): boolean {
  return MESSAGE_RULES[kind].topic !== undefined;
}

/** The topic a kind of message always needs, when it is fixed (not the campaign's own). */
export function fixedTopicOf(kind: MessageKind): ConsentTopic | undefined {
  const topic = MESSAGE_RULES[kind].topic;
  return topic === 'OF_CAMPAIGN' ? undefined : topic;
}
