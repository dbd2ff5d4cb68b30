import { Any, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../db/errors';
import { RuleViolation } from '../rule-violation';
import { recordConsent } from '../consents/consent.store';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import { keysetPage, type Keyset, type Page } from '../db/keyset';
import type { ConsentTopic, ProtectedField } from '../policy';
import { Customer } from './customer.entity';
import { normalizeEmail, normalizeName, normalizeVietnamesePhone } from './contact';

export async function customersByIds(db: EntityManager, ids: readonly string[]): Promise<Customer[]> {
  return db.findBy(Customer, { id: Any([...ids]) });
}

export function customerKey(customer: Customer): Keyset {
  return { at: customer.createdAt, id: customer.id };
}

/** Which protected columns a search may match: only those the request may read. */
export type SearchableField = Extract<ProtectedField, 'Customer.fullName' | 'Customer.email' | 'Customer.phone'>;

export interface CustomerSearch {
  term: string;
  fields: readonly SearchableField[];
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Newest customers first; limit + 1 rows so the caller knows whether more follow. */
export async function customersPage(db: EntityManager, page: Page, search?: CustomerSearch): Promise<Customer[]> {
  const qb = db.createQueryBuilder(Customer, 'c');
  if (search) {
    const conditions: string[] = [];
    const term = search.term.trim();
    if (search.fields.includes('Customer.fullName')) conditions.push('c.full_name ILIKE :name');
    if (search.fields.includes('Customer.email')) conditions.push('c.email LIKE :email');
    const digits = term.replace(/\D/g, '').replace(/^0/, '84');
    if (search.fields.includes('Customer.phone') && digits.length >= 4) conditions.push('c.phone LIKE :phone');
    qb.andWhere(conditions.length > 0 ? `(${conditions.join(' OR ')})` : 'false', {
      name: likePattern(term),
      email: likePattern(term.toLowerCase()),
      phone: likePattern(digits),
    });
  }
  return keysetPage(qb, 'c', 'created_at', page);
}

/**
 * Customers whose latest consent for the topic is GRANTED, marked as such for the
 * policy: the consent is read in the same statement as the contact data it releases.
 */
export async function marketingAudiencePage(db: EntityManager, topic: ConsentTopic, page: Page): Promise<Customer[]> {
  const qb = db.createQueryBuilder(Customer, 'c').where(
    `(SELECT r.status FROM consent_records r
       WHERE r.customer_id = c.id AND r.topic = :topic
       ORDER BY r.recorded_at DESC, r.id DESC LIMIT 1) = 'GRANTED'`,
    { topic },
  );
  const customers = await keysetPage(qb, 'c', 'created_at', page);
  for (const customer of customers) customer.consentedToAudienceTopic = true;
  return customers;
}

export interface Registration {
  fullName: string;
  email: string;
  phone: string;
  consents: readonly ConsentTopic[];
  consentChannel: ConsentChannel;
}

/** Inserts the customer and the consents given at sign-up; call inside a transaction. */
export async function registerCustomer(
  db: EntityManager,
  registration: Registration,
  actor: { actorId: string; policyVersion: string },
): Promise<Customer> {
  const phone = normalizeVietnamesePhone(registration.phone);
  if (phone === null) throw new Error('registerCustomer called with an unvalidated phone');
  const email = normalizeEmail(registration.email);
  let customer: Customer;
  try {
    customer = await db.save(db.create(Customer, { fullName: normalizeName(registration.fullName), email, phone }));
  } catch (error) {
    if (isUniqueViolation(error, 'customers_email_key')) throw new RuleViolation('email', 'is already registered');
    throw error;
  }
  for (const topic of registration.consents) {
    await recordConsent(db, {
      customerId: customer.id,
      topic,
      status: 'GRANTED',
      channel: registration.consentChannel,
      ...actor,
    });
  }
  return customer;
}

/**
 * Locks the customer row for a change to their consents or registration, so that
 * concurrent changes for one customer are serialised. Null when there is no such customer.
 */
export async function lockCustomer(db: EntityManager, id: string): Promise<Customer | null> {
  return db.createQueryBuilder(Customer, 'c').where('c.id = :id', { id }).setLock('pessimistic_write').getOne();
}
