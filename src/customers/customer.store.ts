import { Any, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../db/errors';
import { RuleViolation } from '../rule-violation';
import { recordConsent } from '../consents/consent.store';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import { keysetPage, keysetSql, type Keyset, type Page } from '../db/keyset';
import { plainColumns } from '../db/plain-rows';
import { positionalParameters, selectList, whereAll, type Place } from '../db/raw-sql';
import { RESTRICTING_KINDS, type ConsentTopic, type CustomerState } from '../policy';
import { openRequestsSql, parseOpenRequests, REQUEST_IS_OPEN } from '../data-subject/open-requests';
import { Customer, type CustomerStanding } from './customer.entity';
import { nameWords, normalizeEmail, normalizeName, normalizeVietnamesePhone } from './contact';
import type { SearchTerm } from './customer-search';

export async function customersByIds(db: EntityManager, ids: readonly string[]): Promise<Customer[]> {
  return db.findBy(Customer, { id: Any([...ids]) });
}

/** A customer's standing as columns of a statement on `c` (customers), named as StandingRow. */
export const STANDING_COLUMNS: Record<keyof StandingRow, string> = {
  customer_deregistered: 'c.deregistered_at IS NOT NULL',
  customer_open_requests: openRequestsSql('c.id'),
};

export interface StandingRow {
  customer_deregistered: boolean;
  customer_open_requests: string | null;
}

export function standingOfRow(row: StandingRow): CustomerStanding {
  return { deregistered: row.customer_deregistered, openRequests: parseOpenRequests(row.customer_open_requests) };
}

/** The standing of these customers, by id, without their personal columns. */
export async function customerStandings(
  db: EntityManager,
  ids: readonly string[],
): Promise<Map<string, CustomerStanding>> {
  const rows: (StandingRow & { id: string })[] = await db.query(
    `SELECT c.id, ${selectList(STANDING_COLUMNS)} FROM customers c WHERE c.id = ANY($1)`,
    [ids],
  );
  return new Map(rows.map((row) => [row.id, standingOfRow(row)]));
}

export function customerKey(customer: Customer): Keyset {
  return { at: customer.createdAt, id: customer.id };
}

/** A search as the policy allows it: the term, and the states of customer it may match. */
export interface CustomerMatch {
  term: SearchTerm;
  states: readonly CustomerState[];
}

const OPEN_ORDER_EXISTS = 'EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.closed_at IS NULL)';

/** `restrictingKinds`: the placeholder of the parameter that holds RESTRICTING_KINDS. */
function stateCondition({ deregistered, hasOpenOrders, restricted }: CustomerState, restrictingKinds: string): string {
  const restrictionOpen = `EXISTS (SELECT 1 FROM data_subject_requests r
    WHERE r.customer_id = c.id AND r.kind = ANY(${restrictingKinds}) AND ${REQUEST_IS_OPEN})`;
  return `(c.deregistered_at IS ${deregistered ? 'NOT ' : ''}NULL AND ${hasOpenOrders ? '' : 'NOT '}${OPEN_ORDER_EXISTS}
    AND ${restricted ? '' : 'NOT '}${restrictionOpen})`;
}

/** The conditions of a search, with their parameters placed by `place`. */
function matchConditions({ term, states }: CustomerMatch, place: Place): string[] {
  const matched =
    term.field === 'Customer.email'
      ? `c.email = ${place(term.email)}`
      : term.field === 'Customer.phone'
        ? `c.phone = ${place(term.phone)}`
        : `c.name_words @> CAST(${place(term.words)} AS text[])`;
  // A placed parameter must be used: PostgreSQL refuses a statement given more values than it names.
  if (states.length === 0) return [matched, 'false'];
  const restrictingKinds = place([...RESTRICTING_KINDS]);
  return [matched, `(${states.map((state) => stateCondition(state, restrictingKinds)).join(' OR ')})`];
}

/**
 * Newest customers first, as plain rows; limit + 1 rows so the caller knows whether more
 * follow. Every dashboard page starts with it.
 */
export async function customersPage(db: EntityManager, page: Page, match?: CustomerMatch): Promise<Customer[]> {
  const { values, place } = positionalParameters();
  const { select, toEntity } = plainColumns(db, Customer, 'c');
  const { after, orderAndLimit } = keysetSql('c', 'created_at', page, place);
  const where = whereAll([...(match ? matchConditions(match, place) : []), ...after]);
  const rows: Record<string, unknown>[] = await db.query(
    `SELECT ${select} FROM customers c ${where} ${orderAndLimit}`,
    values,
  );
  return rows.map(toEntity);
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

/**
 * Inserts the customer, the privacy notice they accepted (its version, when, where: even
 * with no topic ticked) and the consents given at sign-up; call inside a transaction.
 */
export async function registerCustomer(
  db: EntityManager,
  registration: Registration,
  actor: { actorId: string; policyVersion: string },
  acceptedAt: Date = new Date(),
): Promise<Customer> {
  const phone = normalizeVietnamesePhone(registration.phone);
  if (phone === null) throw new Error('registerCustomer called with an unvalidated phone');
  const email = normalizeEmail(registration.email);
  let customer: Customer;
  try {
    const fullName = normalizeName(registration.fullName);
    const notice = {
      privacyNoticeVersion: actor.policyVersion,
      privacyNoticeAcceptedAt: acceptedAt,
      privacyNoticeChannel: registration.consentChannel,
    };
    customer = await db.save(
      db.create(Customer, { fullName, nameWords: nameWords(fullName), email, phone, ...notice }),
    );
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

/** Locks the customer as `lockCustomer` does, and refuses the change at `customerId` when there is none. */
export async function requireCustomer(db: EntityManager, id: string): Promise<Customer> {
  const customer = await lockCustomer(db, id);
  if (!customer) throw new RuleViolation('customerId', 'no customer with this id');
  return customer;
}
