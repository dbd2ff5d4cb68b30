import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { OrderStatusEnum } from '../vocabulary/enums';
import type { OrderStatus } from './order-lifecycle';

@ObjectType('Order', { simpleResolvers: true })
@Entity('orders')
export class Order {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human-facing order number (PT000123), assigned by the database. */
  @Field()
  @Column({ type: 'text', insert: false, update: false })
  code: string;

  @Column('uuid', { name: 'customer_id' })
  customerId: string;

  @Field(() => OrderStatusEnum)
  @Column('text')
  status: OrderStatus;

  @Field(() => Int, { description: 'Sum of the items, in whole đồng.' })
  @Column('int', { name: 'total_vnd' })
  totalVnd: number;

  @Field()
  @Column({ type: 'timestamptz', name: 'placed_at', precision: 3, insert: false, update: false })
  placedAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it was delivered or cancelled.' })
  @Column({ type: 'timestamptz', name: 'closed_at', precision: 3, nullable: true })
  closedAt: Date | null;
}
