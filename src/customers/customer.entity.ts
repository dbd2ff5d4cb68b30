import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, VirtualColumn } from 'typeorm';
import type { PolicySubject } from '../audit/disclosure-terms';
import { Protected } from '../vocabulary/purpose-mark';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import type { SubjectFacts } from '../policy';
import { openRequestsSql, parseOpenRequests } from '../data-subject/open-requests';
import { PrivacyNotice } from '../data-subject/privacy-notice.type';

/**
 * The facts about a customer that govern personal data of theirs held on other rows too
 * (the recipient of their shipments): whether they deregistered, and their open requests.
 */
export type CustomerStanding = Required<Pick<SubjectFacts, 'deregistered' | 'openRequests'>>;

@ObjectType('Customer', { simpleResolvers: true, description: 'A person who shops at Petto.' })
@Entity('customers')
export class Customer implements PolicySubject {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Null once erased, like the other personal columns. */
  @Protected('Customer.fullName')
  @Column('text', { name: 'full_name', nullable: true })
  fullName: string | null;

  /** Lower-cased. */
  @Protected('Customer.email')
  @Column('text', { nullable: true })
  email: string | null;

  /**
   * The name's words as a search compares them (see nameWords); personal data like the name
   * itself. Compared in SQL, never read back: not selected with the row.
   */
  @Column('text', { name: 'name_words', array: true, nullable: true, select: false })
  nameWords: string[] | null;

  /** E.164, e.g. +84912345678. */
  @Protected('Customer.phone')
  @Column('text', { nullable: true })
  phone: string | null;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the customer cancelled their registration (P6).' })
  @Column({ type: 'timestamptz', name: 'deregistered_at', precision: 3, nullable: true })
  deregisteredAt: Date | null;

  /** Who cancelled the registration: a principal, or `unsubscribe-link:<id>` (not personal data). */
  @Column('text', { name: 'deregistered_by', nullable: true })
  deregisteredBy: string | null;

  @Column('text', { name: 'deregistration_channel', nullable: true })
  deregistrationChannel: ConsentChannel | null;

  @Field(() => Date, { nullable: true, description: 'When their personal data was erased.' })
  @Column({ type: 'timestamptz', name: 'erased_at', precision: 3, nullable: true })
  erasedAt: Date | null;

  @Column('text', { name: 'privacy_notice_version', nullable: true })
  privacyNoticeVersion: string | null;

  @Column({ type: 'timestamptz', name: 'privacy_notice_accepted_at', precision: 3, nullable: true })
  privacyNoticeAcceptedAt: Date | null;

  @Column('text', { name: 'privacy_notice_channel', nullable: true })
  privacyNoticeChannel: ConsentChannel | null;

  @Field(() => PrivacyNotice, {
    nullable: true,
    description: 'The privacy notice accepted at registration; null for customers registered before it was recorded.',
  })
  get privacyNotice(): PrivacyNotice | null {
    const { privacyNoticeVersion: version, privacyNoticeAcceptedAt: acceptedAt, privacyNoticeChannel: channel } = this;
    return version && acceptedAt && channel ? { version, acceptedAt, channel } : null;
  }

  /** Read with the row: whether an order of theirs is still open (what a deregistered customer's data may serve). */
  @VirtualColumn({
    type: 'boolean',
    query: (alias) =>
      `SELECT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = ${alias}.id AND o.closed_at IS NULL)`,
  })
  hasOpenOrders: boolean;

  /** Read with the row: the customer's open data-subject requests (see openRequestsSql). */
  @VirtualColumn({ type: 'text', query: (alias) => openRequestsSql(`${alias}.id`) })
  openRequestList: string | null;

  /**
   * Set only on rows read for a marketing audience: the same statement found the
   * customer's latest consent for the audience's topic to be GRANTED.
   */
  consentedToAudienceTopic?: boolean;

  get subjectCustomerId(): string {
    return this.id;
  }

  subjectFacts(): SubjectFacts {
    // Named one by one, not spread: see PolicySubject.
    const { deregistered, openRequests } = this.standing();
    return {
      consentGranted: this.consentedToAudienceTopic === true,
      deregistered,
      hasOpenOrders: this.hasOpenOrders,
      openRequests,
    };
  }

  standing(): CustomerStanding {
    return { deregistered: this.deregisteredAt !== null, openRequests: parseOpenRequests(this.openRequestList) };
  }
}
