import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@ObjectType('OrderItem', { simpleResolvers: true })
@Entity('order_items')
export class OrderItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'order_id' })
  orderId: string;

  /** Keeps the items in the order the customer listed them. */
  @Column('int')
  position: number;

  @Field()
  @Column()
  sku: string;

  @Field()
  @Column()
  name: string;

  @Field(() => Int)
  @Column('int')
  quantity: number;

  @Field(() => Int)
  @Column('int', { name: 'unit_price_vnd' })
  unitPriceVnd: number;
}
