import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ConsentChannel } from '../consents/consent-vocabulary';
import { ConsentChannelEnum, RequestKindEnum, RequestStatusEnum } from '../vocabulary/enums';
import type { RequestKind } from '../policy';
import type { RequestStatus } from './request-vocabulary';

/**
 * A data-subject request as a case, read from `data_subject_request_states`: the request
 * as received (never changed) and where its append-only history has taken it.
 */
@ObjectType('DataSubjectRequest', {
  simpleResolvers: true,
  description: 'A request by a person to exercise a right over their data.',
})
@Entity('data_subject_request_states')
export class DataSubjectRequest {
  @Field(() => ID)
  @PrimaryColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The customer id the request was made for, as given.' })
  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @Field(() => RequestKindEnum)
  @Column('text')
  kind: RequestKind;

  @Field(() => ConsentChannelEnum, { description: 'Where the person made the request.' })
  @Column('text')
  channel: ConsentChannel;

  @Field(() => String, {
    nullable: true,
    description: 'What the person asked, in brief; emptied when they are erased.',
  })
  @Column('text', { nullable: true })
  note: string | null;

  @Field()
  @Column({ type: 'timestamptz', name: 'received_at', precision: 3 })
  receivedAt: Date;

  @Field({ description: 'Two working days after receipt (Decree 356/2025).' })
  @Column({ type: 'timestamptz', name: 'acknowledge_by', precision: 3 })
  acknowledgeBy: Date;

  @Field({ description: 'When the answer is due: 10 days after receipt, 20 for erasure and deregistration.' })
  @Column({ type: 'timestamptz', name: 'due_by', precision: 3 })
  dueBy: Date;

  @Field({ description: 'The principal who recorded the request.' })
  @Column('text', { name: 'opened_by' })
  openedBy: string;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'acknowledged_at', precision: 3, nullable: true })
  acknowledgedAt: Date | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'closed_at', precision: 3, nullable: true })
  closedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'What was done, as written when it was closed.' })
  @Column('text', { nullable: true })
  outcome: string | null;

  @Field(() => RequestStatusEnum)
  get status(): RequestStatus {
    if (this.closedAt) return 'CLOSED';
    return this.acknowledgedAt ? 'ACKNOWLEDGED' : 'OPEN';
  }

  /** Past a deadline and not closed: unacknowledged past acknowledgeBy, or unanswered past dueBy. */
  isOverdueAt(now: Date): boolean {
    if (this.closedAt) return false;
    return this.dueBy < now || (this.acknowledgedAt === null && this.acknowledgeBy < now);
  }
}

@ObjectType('DataSubjectRequestEvent', {
  simpleResolvers: true,
  description: 'One step in the history of a request; never changed.',
})
export class DataSubjectRequestEvent {
  @Field(() => String, { description: 'OPENED, ACKNOWLEDGED, USED (data used under it) or CLOSED.' })
  event: string;

  @Field(() => String, { nullable: true, description: 'The outcome, or what was done under the request.' })
  detail: string | null;

  @Field()
  actorId: string;

  @Field()
  occurredAt: Date;
}
