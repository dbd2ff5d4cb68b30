import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Customer } from '../customers/customer.entity';
import type { Order } from '../orders/order.entity';
import type { OrderItem } from '../orders/order-item.entity';
import type { Shipment } from '../orders/shipment.entity';
import type { ConsentRecord } from '../consents/consent-record.entity';
import type { AuditEvent } from '../audit/audit-event.entity';
import type { OpenRequest } from '../policy';

@ObjectType('ErasureReceipt', { simpleResolvers: true, description: 'What was erased, when and by whom.' })
export class ErasureReceiptView {
  @Field(() => ID)
  customerId: string;

  @Field()
  erasedAt: Date;

  @Field({ description: 'The principal who erased, or retention-sweep.' })
  erasedBy: string;

  @Field(() => [String], { description: 'Field coordinates whose values no longer exist.' })
  fields: string[];

  @Field(() => Int)
  shipmentsErased: number;

  @Field(() => Int, { description: 'Orders kept without the person: codes, items, money, dates.' })
  ordersKept: number;
}

/** Everything held about one customer, as read for a data-subject access request. */
export interface SubjectData {
  customer: Customer;
  orders: { order: Order; items: OrderItem[]; shipment: Shipment | null }[];
  consentHistory: ConsentRecord[];
  disclosures: AuditEvent[];
}

@ObjectType('CustomerDataExport', {
  simpleResolvers: true,
  description: "A customer's data, for their rights of access and portability.",
})
export class CustomerDataExport {
  @Field(() => ID)
  customerId: string;

  @Field()
  exportedAt: Date;

  /** Read by the `document` resolver, which puts each personal value through the policy. */
  subject: SubjectData;

  /** The request the export answers, when the purpose is bound to one: its uses are recorded under it. */
  caseRequest?: OpenRequest;
}
