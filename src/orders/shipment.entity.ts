import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PolicySubject } from '../audit/disclosure-terms';
import { DeliveryStatusEnum } from '../vocabulary/enums';
import { Protected } from '../vocabulary/purpose-mark';
import type { SubjectFacts } from '../policy';
import type { CustomerStanding } from '../customers/customer.entity';
import { Address } from './address';
import { ACTIVE_DELIVERY_STATUSES, type DeliveryStatus } from './order-lifecycle';

/**
 * The shipping block of an order (given at checkout) and, once assigned, its carrier.
 * Kept apart from the order so that retention can erase the recipient without touching
 * the order's money records.
 */
@ObjectType('Shipment', { simpleResolvers: true })
@Entity('shipments')
export class Shipment implements PolicySubject {
  @PrimaryColumn('uuid', { name: 'order_id' })
  orderId: string;

  /**
   * Facts the policy needs, set by the store with the row: the customer whose order this
   * is (the data subject of the recipient fields), when the order was delivered or
   * cancelled (retention), and the customer's standing (deregistered, open requests).
   */
  subjectCustomerId: string;
  orderClosedAt: Date | null;
  customerStanding: CustomerStanding;

  @Protected('Shipment.recipientName')
  @Column('text', { name: 'recipient_name', nullable: true })
  recipientName: string | null;

  @Protected('Shipment.recipientPhone')
  @Column('text', { name: 'recipient_phone', nullable: true })
  recipientPhone: string | null;

  @Column(() => Address, { prefix: false })
  addressColumns: Address;

  @Protected('Shipment.address', () => Address)
  get address(): Address | null {
    return this.erasedAt ? null : this.addressColumns;
  }

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'carrier_id', nullable: true })
  carrierId: string | null;

  @Field(() => String, { nullable: true })
  @Column('text', { name: 'tracking_number', nullable: true })
  trackingNumber: string | null;

  @Field(() => DeliveryStatusEnum, { nullable: true })
  @Column('text', { nullable: true })
  status: DeliveryStatus | null;

  @Column({ type: 'timestamptz', name: 'assigned_at', precision: 3, nullable: true })
  assignedAt: Date | null;

  @Field(() => Int, { nullable: true, description: 'To collect at the door (cash on delivery); null when prepaid.' })
  @Column('int', { name: 'cod_amount_vnd', nullable: true })
  codAmountVnd: number | null;

  @Field(() => Date, { nullable: true })
  @Column({ type: 'timestamptz', name: 'delivered_at', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @Column({ type: 'timestamptz', name: 'erased_at', precision: 3, nullable: true })
  erasedAt: Date | null;

  get active(): boolean {
    return this.status !== null && ACTIVE_DELIVERY_STATUSES.includes(this.status);
  }

  subjectFacts(): SubjectFacts {
    return {
      shipment: { carrierId: this.carrierId, active: this.active, orderClosedAt: this.orderClosedAt },
      // Named one by one, not spread: see PolicySubject.
      deregistered: this.customerStanding.deregistered,
      openRequests: this.customerStanding.openRequests,
    };
  }
}
