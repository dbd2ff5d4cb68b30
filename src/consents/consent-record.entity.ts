import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ConsentTopic } from '../policy';
import type { ConsentChannel, ConsentStatus } from './consent-vocabulary';

/** One grant or withdrawal, as it was recorded. Never updated (a trigger refuses it). */
@Entity('consent_records')
export class ConsentRecord {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id: string;

  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @Column('text')
  topic: ConsentTopic;

  @Column('text')
  status: ConsentStatus;

  @Column('text')
  channel: ConsentChannel;

  /** The version of the privacy notice the customer was shown. */
  @Column({ name: 'policy_version' })
  policyVersion: string;

  /** The principal who recorded it (the storefront, an agent, the customer's own link). */
  @Column({ name: 'actor_id' })
  actorId: string;

  @Column({ type: 'timestamptz', name: 'recorded_at', precision: 3, insert: false, update: false })
  recordedAt: Date;
}
