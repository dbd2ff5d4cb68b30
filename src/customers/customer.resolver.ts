import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConsentRecord } from '../consents/consent-record.entity';
import { Consent } from '../consents/consent.type';
import { Connection, emptyConnection, IdArgs, PageArgs, pageOf, toConnection } from '../graphql/connection';
import type { GatewayContext } from '../graphql/context';
import { denialError } from '../graphql/errors';
import { authorize, forbid, inTransaction } from '../graphql/guards';
import { OrderConnection } from '../orders/order.resolver';
import { orderKey } from '../orders/order.store';
import { customerScope, decideUse, orderScope } from '../policy';
import { Customer } from './customer.entity';
import { CustomersArgs, MarketingAudienceArgs, RegisterCustomerInput } from './customer.inputs';
import {
  customerKey,
  customersPage,
  marketingAudiencePage,
  registerCustomer,
  type CustomerSearch,
  type SearchableField,
} from './customer.store';

export const CustomerConnection = Connection('Customer', Customer);

const SEARCHABLE: readonly SearchableField[] = ['Customer.fullName', 'Customer.email', 'Customer.phone'];

/**
 * Searching by a protected field is a use of it (DESIGN §4): the search matches only
 * the fields this request may read, and is refused when it may read none.
 */
function searchFor(context: GatewayContext, term: string): CustomerSearch {
  const decisions = SEARCHABLE.map((field) => ({
    field,
    decision: decideUse(context.principal, context.declaredPurpose, field),
  }));
  const fields = decisions.filter(({ decision }) => decision.allowed).map(({ field }) => field);
  const [refusal] = decisions.flatMap(({ decision }) => (decision.allowed ? [] : [decision]));
  if (fields.length === 0 && refusal) {
    throw denialError({ coordinate: 'Query.customers.search', reason: refusal.reason, count: 1 });
  }
  return { term, fields };
}

function requireAllCustomers(context: GatewayContext): void {
  if (customerScope(context.principal) !== 'ALL') forbid(context, 'customers directly');
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true })
  async customer(@Args() { id }: IdArgs, @Ctx() context: GatewayContext): Promise<Customer | null> {
    // Marketing may look a customer up too, but with no topic asked its consent is not
    // established, so contact fields stay withheld (CONSENT_REQUIRED).
    const scope = customerScope(context.principal);
    if (scope !== 'ALL' && scope !== 'CONSENTED_TO_TOPIC') forbid(context, 'customers directly');
    return context.loaders.customer.load(id);
  }

  @Query(() => CustomerConnection, { description: 'Newest first.' })
  async customers(@Args() args: CustomersArgs, @Ctx() context: GatewayContext) {
    requireAllCustomers(context);
    const page = pageOf(args);
    const search = args.search === undefined ? undefined : searchFor(context, args.search);
    return toConnection(await customersPage(context.db.manager, page, search), page, customerKey);
  }

  @Query(() => CustomerConnection, { description: 'Customers whose current consent for the topic is GRANTED.' })
  async marketingAudience(@Args() args: MarketingAudienceArgs, @Ctx() context: GatewayContext) {
    if (customerScope(context.principal) !== 'CONSENTED_TO_TOPIC') forbid(context, 'marketing audiences');
    const page = pageOf(args);
    return toConnection(await marketingAudiencePage(context.db.manager, args.topic, page), page, customerKey);
  }

  @Mutation(() => Customer, { description: 'Registers a customer with the consents given at sign-up.' })
  async registerCustomer(
    @Arg('input') input: RegisterCustomerInput,
    @Ctx() context: GatewayContext,
  ): Promise<Customer> {
    authorize(context, 'REGISTER_CUSTOMER');
    return inTransaction(context, ['input'], (db) =>
      registerCustomer(db, input, { actorId: context.principal.id, policyVersion: context.policyVersion }),
    );
  }

  @FieldResolver(() => [Consent], {
    description: 'Current state of each topic the customer has ever been asked about.',
  })
  consents(@Root() customer: Customer, @Ctx() context: GatewayContext): Promise<Consent[]> {
    return context.loaders.consents.load(customer.id);
  }

  @FieldResolver(() => [ConsentRecord], { description: 'Every grant and withdrawal ever recorded, newest first.' })
  consentHistory(@Root() customer: Customer, @Ctx() context: GatewayContext): Promise<ConsentRecord[]> {
    return context.loaders.consentHistory.load(customer.id);
  }

  @FieldResolver(() => OrderConnection, { description: 'Newest first.' })
  async orders(@Root() customer: Customer, @Args() args: PageArgs, @Ctx() context: GatewayContext) {
    if (orderScope(context.principal) !== 'ALL') {
      context.disclosures.withhold('Customer.orders', 'OUT_OF_SCOPE', customer.id);
      return emptyConnection();
    }
    const page = pageOf(args);
    return toConnection(await context.loaders.ordersOfCustomer(page).load(customer.id), page, orderKey);
  }
}
