import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../../customers/customer.entity';
import { Connection, emptyConnection, PageArgs, pageOf, toConnection } from '../connection';
import type { GatewayContext } from '../context';
import { authorize, enter, inTransaction } from '../guards';
import { applyOnReceipt } from '../../data-subject/request-effects';
import { DataSubjectRequest, DataSubjectRequestEvent } from '../../data-subject/request.entity';
import { CloseRequestArgs, DataSubjectRequestInput, RequestIdArgs, RequestsArgs } from './request.inputs';
import { customerRequestsLoader, requestHistoryLoader } from './request-loaders';
import {
  acknowledgeRequest,
  closeRequest,
  openRequest,
  requestKey,
  requestsPage,
  requireRequest,
} from '../../data-subject/request.store';

export const DataSubjectRequestConnection = Connection('DataSubjectRequest', DataSubjectRequest);

/**
 * Requests as cases. Anyone who takes requests (the hotline, the customer's own account,
 * the privacy officer) may record one; only the privacy officer handles and lists them.
 * The reply to recording one is the same whether or not the customer id is known: a
 * caller who may not look customers up learns nothing from it.
 */
@Resolver(() => DataSubjectRequest)
export class DataSubjectRequestResolver {
  @Mutation(() => DataSubjectRequest, { description: 'Records a request as received now, with its legal deadlines.' })
  openDataSubjectRequest(@Arg('input') input: DataSubjectRequestInput, @Ctx() context: GatewayContext) {
    authorize(context, 'OPEN_DATA_SUBJECT_REQUEST');
    const { principal, clock, deadlines, policyVersion } = context;
    return inTransaction(context, ['input'], async (db) => {
      const id = await openRequest(db, input, principal.id, clock.now, deadlines);
      await applyOnReceipt(db, input, { actorId: principal.id, policyVersion });
      return requireRequest(db, id);
    });
  }

  @Mutation(() => DataSubjectRequest, { description: 'Acknowledges receipt to the person; idempotent.' })
  acknowledgeDataSubjectRequest(@Args() { id }: RequestIdArgs, @Ctx() context: GatewayContext) {
    authorize(context, 'HANDLE_DATA_SUBJECT_REQUEST');
    return inTransaction(context, [], (db) => acknowledgeRequest(db, id, context.principal.id, context.clock.now));
  }

  @Mutation(() => DataSubjectRequest, { description: 'Closes the request: the access it gave ends with it.' })
  closeDataSubjectRequest(@Args() { id, outcome }: CloseRequestArgs, @Ctx() context: GatewayContext) {
    authorize(context, 'HANDLE_DATA_SUBJECT_REQUEST');
    return inTransaction(context, [], (db) => closeRequest(db, id, outcome, context.principal.id, context.clock.now));
  }

  @Query(() => DataSubjectRequestConnection, { description: 'Newest first; for the privacy officer.' })
  async dataSubjectRequests(@Args() args: RequestsArgs, @Ctx() context: GatewayContext) {
    enter(context, 'Query.dataSubjectRequests');
    const page = pageOf(args);
    const overdueAt = args.overdue === undefined ? undefined : { now: context.clock.now, overdue: args.overdue };
    const rows = await requestsPage(context.dataSource.manager, { status: args.status, overdueAt }, page);
    return toConnection(rows, page, requestKey);
  }

  @FieldResolver(() => Customer, {
    nullable: true,
    description: 'The customer, for those who may look customers up; null when the id is unknown.',
  })
  customer(@Root() request: DataSubjectRequest, @Ctx() context: GatewayContext): Promise<Customer | null> | null {
    if (!context.disclosures.follows('DataSubjectRequest.customer', request.customerId)) return null;
    return context.loaders.customer.load(request.customerId);
  }

  @FieldResolver(() => Boolean, { description: 'Past a deadline and not closed.' })
  overdue(@Root() request: DataSubjectRequest, @Ctx() context: GatewayContext): boolean {
    return request.isOverdueAt(context.clock.now);
  }

  @FieldResolver(() => [DataSubjectRequestEvent], { description: 'Every step, oldest first; append-only.' })
  history(@Root() request: DataSubjectRequest, @Ctx() context: GatewayContext) {
    return requestHistoryLoader(context).load(request.id);
  }
}

@Resolver(() => Customer)
export class CustomerRequestsResolver {
  @FieldResolver(() => DataSubjectRequestConnection, { description: "The customer's requests, newest first." })
  async dataSubjectRequests(@Root() customer: Customer, @Args() args: PageArgs, @Ctx() context: GatewayContext) {
    if (!context.disclosures.follows('Customer.dataSubjectRequests', customer.id)) return emptyConnection();
    const page = pageOf(args);
    return toConnection(await customerRequestsLoader(context, page).load(customer.id), page, requestKey);
  }
}
