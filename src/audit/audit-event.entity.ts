import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PurposeEnum, RoleEnum } from '../vocabulary/enums';
import type { AuditDecision } from './disclosure-terms';
import type { DenialReason, Purpose, Role, UseCoordinate } from '../policy';

/** One subject's fields released, matched by a search, or withheld for one reason, in one request. */
@ObjectType('AuditEvent', { simpleResolvers: true })
@Entity('audit_events')
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Field(() => ID, { description: 'The X-Request-Id of the request.' })
  @Column('uuid', { name: 'request_id' })
  requestId: string;

  @Field()
  @Column({ name: 'principal_id' })
  principalId: string;

  @Field(() => RoleEnum)
  @Column('text')
  role: Role;

  @Field(() => PurposeEnum, { nullable: true, description: 'The purpose acted under; null when none applied.' })
  @Column('text', { nullable: true })
  purpose: Purpose | null;

  @Field(() => ID, { nullable: true, description: 'The data subject.' })
  @Column('uuid', { name: 'customer_id', nullable: true })
  customerId: string | null;

  @Field(() => [String], { description: 'Field coordinates, e.g. Shipment.recipientPhone.' })
  @Column('text', { array: true })
  fields: UseCoordinate[];

  @Field(() => String, {
    description:
      'RELEASED, MATCHED (by a search), WITHHELD, CORRECTED (fields changed), or SENT (the gateway emailed the person).',
  })
  @Column('text')
  decision: AuditDecision;

  @Field(() => String, { nullable: true, description: 'Why it was withheld.' })
  @Column('text', { nullable: true })
  reason: DenialReason | null;

  @Field(() => ID, { nullable: true, description: 'The data-subject request the use was made under, if any.' })
  @Column('uuid', { name: 'case_id', nullable: true })
  caseId: string | null;

  @Field()
  @Column({ type: 'timestamptz', name: 'occurred_at', precision: 3, insert: false, update: false })
  occurredAt: Date;
}
