import type { DataSource, EntityManager } from 'typeorm';
import type { Customer } from '../customers/customer.entity';
import { customersByIds, lockCustomer } from '../customers/customer.store';
import { deregisterCustomer } from '../data-subject/deregistration.operations';
import { CONSENT_TOPICS, mayRecordGrant, type ConsentTopic } from '../policy';
import { currentConsents, recordConsent } from './consent.store';
import type { ConsentStatus } from './consent-vocabulary';
import { linkActorId, UnsubscribeLinkRejected, type UnsubscribeLink } from './unsubscribe-links';

/**
 * The preference centre behind an unsubscribe link: the customer's own consent to each
 * topic, changed one by one, and the cancellation of their registration. The link is
 * the only authority (no login), so every change is recorded on the EMAIL_LINK channel
 * under the link's id, with the principal who issued it, exactly as a one-click use is.
 * What it reads is limited to those consent states: never a name or an address.
 */

export interface TopicState {
  topic: ConsentTopic;
  /** A topic never answered is not received: shown as WITHDRAWN. */
  status: ConsentStatus;
}

/**
 * What the centre may show: every topic's state while the registration is open. Once it
 * is cancelled (or the person erased, which cancels it) nothing is shown, the same for
 * both, and nothing may be granted: the policy collects nothing new about them.
 */
export type Preferences = { open: true; topics: TopicState[] } | { open: false };

function registrationOpen(customer: Customer): boolean {
  return mayRecordGrant(customer.subjectFacts());
}

async function topicStates(db: EntityManager, customerId: string): Promise<TopicState[]> {
  const current = (await currentConsents(db, [customerId])).get(customerId) ?? [];
  return CONSENT_TOPICS.map((topic) => ({
    topic,
    status: current.find((consent) => consent.topic === topic)?.status ?? 'WITHDRAWN',
  }));
}

/** Locks the link's customer; a link whose customer no longer exists is not valid. */
async function lockLinkCustomer(db: EntityManager, link: UnsubscribeLink): Promise<Customer> {
  const customer = await lockCustomer(db, link.customerId);
  if (!customer) throw new UnsubscribeLinkRejected('INVALID');
  return customer;
}

function byLink(link: UnsubscribeLink, policyVersion: string) {
  return {
    channel: 'EMAIL_LINK' as const,
    actorId: linkActorId(link.linkId),
    linkIssuedBy: link.issuedBy ?? null,
    policyVersion,
  };
}

/** Read only: what the centre shows for a verified link. */
export async function readPreferences(dataSource: DataSource, link: UnsubscribeLink): Promise<Preferences> {
  const [customer] = await customersByIds(dataSource.manager, [link.customerId]);
  if (!customer) throw new UnsubscribeLinkRejected('INVALID');
  if (!registrationOpen(customer)) return { open: false };
  return { open: true, topics: await topicStates(dataSource.manager, link.customerId) };
}

/**
 * Sets one topic, in one transaction with the customer locked. Idempotent (the current
 * state is not recorded again). A closed registration changes nothing.
 */
export async function changeTopic(
  dataSource: DataSource,
  link: UnsubscribeLink,
  change: { topic: ConsentTopic; status: ConsentStatus; policyVersion: string },
): Promise<Preferences> {
  return dataSource.transaction(async (tx) => {
    const customer = await lockLinkCustomer(tx, link);
    if (!registrationOpen(customer)) return { open: false };
    const { topic, status, policyVersion } = change;
    await recordConsent(tx, { customerId: link.customerId, topic, status, ...byLink(link, policyVersion) });
    return { open: true, topics: await topicStates(tx, link.customerId) };
  });
}

/**
 * "Hủy đăng ký thông tin": the existing deregistration, recorded under the link. False
 * when the registration was already closed (nothing changed).
 */
export async function cancelRegistration(
  dataSource: DataSource,
  link: UnsubscribeLink,
  { policyVersion, now }: { policyVersion: string; now: Date },
): Promise<boolean> {
  return dataSource.transaction(async (tx) => {
    const customer = await lockLinkCustomer(tx, link);
    if (!registrationOpen(customer)) return false;
    await deregisterCustomer(tx, link.customerId, byLink(link, policyVersion), now);
    return true;
  });
}
