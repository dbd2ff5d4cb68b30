import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../../customers/customer.entity';
import { NOTICE_AFTER_DELIVERY_STATUS, NOTICE_AFTER_ORDER_STATUS } from '../../mail/order-notices';
import { queueOrderNotice } from '../../mail/outbox';
import { Connection, IdArgs, PageArgs, pageOf, toConnection } from '../connection';
import type { GatewayContext } from '../context';
import { authorize, enter, inTransaction, rowsToChange } from '../guards';
import { assignCarrier, changeDeliveryStatus, changeOrderStatus, placeOrder } from '../../orders/order.operations';
import { Order } from '../../orders/order.entity';
import {
  AssignCarrierArgs,
  OrdersArgs,
  PlaceOrderInput,
  UpdateDeliveryStatusArgs,
  UpdateOrderStatusArgs,
} from './order.inputs';
import { deliveriesPage, orderKey, ordersByIds, ordersPage } from '../../orders/order.store';
import { OrderItem } from '../../orders/order-item.entity';
import { Shipment } from '../../orders/shipment.entity';

export const OrderConnection = Connection('Order', Order);

@Resolver(() => Order)
export class OrderResolver {
  @Query(() => Order, { nullable: true, description: 'Null when there is no such order within your scope.' })
  async order(@Args() { id }: IdArgs, @Ctx() context: GatewayContext): Promise<Order | null> {
    const reach = enter(context, 'Query.order');
    const [order] = await ordersByIds(context.dataSource.manager, reach, [id]);
    return order ?? null;
  }

  @Query(() => OrderConnection, { description: 'Newest first, within your scope.' })
  async orders(@Args() args: OrdersArgs, @Ctx() context: GatewayContext) {
    const reach = enter(context, 'Query.orders');
    const page = pageOf(args);
    return toConnection(await ordersPage(context.dataSource.manager, reach, page, args.status), page, orderKey);
  }

  @Query(() => OrderConnection, { description: "A carrier's own shipments that are still under way." })
  async deliveries(@Args() args: PageArgs, @Ctx() context: GatewayContext) {
    const reach = enter(context, 'Query.deliveries');
    const page = pageOf(args);
    const { orders, shipments } = await deliveriesPage(context.dataSource.manager, reach, page);
    // Read with the page: Order.shipment then needs no statement of its own.
    orders.forEach((order, index) => context.loaders.shipment.prime(order, shipments[index]));
    return toConnection(orders, page, orderKey);
  }

  @Mutation(() => Order)
  async placeOrder(@Arg('input') input: PlaceOrderInput, @Ctx() context: GatewayContext): Promise<Order> {
    authorize(context, 'PLACE_ORDER');
    return inTransaction(context, ['input'], async (db) => {
      const order = await placeOrder(db, input);
      await queueOrderNotice(db, order, 'PLACED', context.principal);
      return order;
    });
  }

  @Mutation(() => Order)
  async updateOrderStatus(
    @Args() { orderId, status }: UpdateOrderStatusArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Order> {
    const reach = rowsToChange(context, 'UPDATE_ORDER_STATUS');
    return inTransaction(context, [], async (db) => {
      const order = await changeOrderStatus(db, reach, orderId, status);
      const notice = NOTICE_AFTER_ORDER_STATUS[status];
      if (notice) await queueOrderNotice(db, order, notice, context.principal);
      return order;
    });
  }

  @Mutation(() => Order)
  async assignCarrier(
    @Args() { orderId, ...assignment }: AssignCarrierArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Order> {
    const reach = rowsToChange(context, 'ASSIGN_CARRIER');
    return inTransaction(context, [], (db) => assignCarrier(db, reach, orderId, assignment));
  }

  @Mutation(() => Order, { description: 'For carriers, on their own shipments that are under way.' })
  async updateDeliveryStatus(
    @Args() { orderId, status }: UpdateDeliveryStatusArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Order> {
    const reach = rowsToChange(context, 'UPDATE_DELIVERY_STATUS');
    return inTransaction(context, [], async (db) => {
      const order = await changeDeliveryStatus(db, reach, orderId, status);
      const notice = NOTICE_AFTER_DELIVERY_STATUS[status];
      if (notice) await queueOrderNotice(db, order, notice, context.principal);
      return order;
    });
  }

  @FieldResolver(() => [OrderItem])
  items(@Root() order: Order, @Ctx() context: GatewayContext): Promise<OrderItem[]> {
    return context.loaders.items.load(order.id);
  }

  @FieldResolver(() => Shipment, { nullable: true })
  shipment(@Root() order: Order, @Ctx() context: GatewayContext): Promise<Shipment | null> {
    return context.loaders.shipment.load(order);
  }

  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'Null (OUT_OF_SCOPE) for roles that may not reach customers.',
  })
  async customer(@Root() order: Order, @Ctx() context: GatewayContext): Promise<Customer | null> {
    if (!context.disclosures.follows('Order.customer', order.customerId)) return null;
    return context.loaders.customer.load(order.customerId);
  }
}
