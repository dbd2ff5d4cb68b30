import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ConsentRecord } from '../../consents/consent-record.entity';
import { Consent } from '../../consents/consent.type';
import { Connection, emptyConnection, IdArgs, PageArgs, pageOf, toConnection } from '../connection';
import type { GatewayContext } from '../context';
import { badInput, denialError } from '../errors';
import { reserveDisclosures } from '../../audit/audit.store';
import { authorize, enter, inTransaction } from '../guards';
import type { Page } from '../../db/keyset';
import { OrderConnection } from '../orders/order.resolver';
import { orderKey } from '../../orders/order.store';
import { decideMatch } from '../../policy';
import { Customer } from '../../customers/customer.entity';
import { CustomersArgs, MarketingAudienceArgs, RegisterCustomerInput } from './customer.inputs';
import { SEARCH_ARGUMENT, searchTermOf } from '../../customers/customer-search';
import { customerKey, customersPage, marketingAudiencePage, registerCustomer } from '../../customers/customer.store';

export const CustomerConnection = Connection('Customer', Customer);

/**
 * Searching by a protected field is a use of it: the term is refused when the request
 * may match no customer by that field, SQL matches only customers whose state the
 * policy allows, and each match is then decided, audited and counted per subject. The
 * row read past the page is matched like the others: telling that more follow says
 * that one more customer matches, so it is a use too, and a refused one says nothing.
 */
async function searchCustomers(context: GatewayContext, raw: string, page: Page): Promise<Customer[]> {
  const term = searchTermOf(raw);
  if ('problem' in term) throw badInput({ argumentPath: ['search'], message: term.problem });
  const match = decideMatch(context.principal, context.declaredPurpose, term.field, context.clock);
  if (!match.allowed) throw denialError({ coordinate: SEARCH_ARGUMENT, reason: match.reason, count: 1 });
  const candidates = await customersPage(context.dataSource.manager, page, { term, states: match.states });
  const { disclosures } = context;
  const overBudget = await reserveDisclosures(
    context.dataSource.manager,
    context.principal.id,
    disclosures.budget,
    candidates.map((customer) => customer.id),
  );
  return candidates.filter((customer) => disclosures.matches([term.field], customer, overBudget.has(customer.id)));
}

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true })
  async customer(@Args() { id }: IdArgs, @Ctx() context: GatewayContext): Promise<Customer | null> {
    enter(context, 'Query.customer');
    return context.loaders.customer.load(id);
  }

  @Query(() => CustomerConnection, { description: 'Newest first.' })
  async customers(@Args() args: CustomersArgs, @Ctx() context: GatewayContext) {
    enter(context, 'Query.customers');
    const page = pageOf(args);
    const rows =
      args.search === undefined
        ? await customersPage(context.dataSource.manager, page)
        : await searchCustomers(context, args.search, page);
    return toConnection(rows, page, customerKey);
  }

  @Query(() => CustomerConnection, { description: 'Customers whose current consent for the topic is GRANTED.' })
  async marketingAudience(@Args() args: MarketingAudienceArgs, @Ctx() context: GatewayContext) {
    enter(context, 'Query.marketingAudience');
    const page = pageOf(args);
    return toConnection(await marketingAudiencePage(context.dataSource.manager, args.topic, page), page, customerKey);
  }

  @Mutation(() => Customer, { description: 'Registers a customer with the consents given at sign-up.' })
  async registerCustomer(
    @Arg('input') input: RegisterCustomerInput,
    @Ctx() context: GatewayContext,
  ): Promise<Customer> {
    authorize(context, 'REGISTER_CUSTOMER');
    return inTransaction(context, ['input'], (db) =>
      registerCustomer(
        db,
        input,
        { actorId: context.principal.id, policyVersion: context.policyVersion },
        context.clock.now,
      ),
    );
  }

  @FieldResolver(() => [Consent], {
    description: 'Current state of each topic the customer has ever been asked about.',
  })
  async consents(@Root() customer: Customer, @Ctx() context: GatewayContext): Promise<Consent[]> {
    if (!context.disclosures.follows('Customer.consents', customer.id, customer.subjectFacts())) return [];
    return context.loaders.consents.load(customer.id);
  }

  @FieldResolver(() => [ConsentRecord], { description: 'Every grant and withdrawal ever recorded, newest first.' })
  async consentHistory(@Root() customer: Customer, @Ctx() context: GatewayContext): Promise<ConsentRecord[]> {
    if (!context.disclosures.follows('Customer.consentHistory', customer.id, customer.subjectFacts())) return [];
    return context.loaders.consentHistory.load(customer.id);
  }

  @FieldResolver(() => OrderConnection, { description: 'Newest first.' })
  async orders(@Root() customer: Customer, @Args() args: PageArgs, @Ctx() context: GatewayContext) {
    const reach = context.disclosures.follows('Customer.orders', customer.id);
    if (!reach) return emptyConnection();
    const page = pageOf(args);
    // Their shipments' recipient fields are decided on the standing read with this row.
    context.loaders.customerStanding.prime(customer.id, customer.standing());
    return toConnection(await context.loaders.ordersOfCustomer(page, reach).load(customer.id), page, orderKey);
  }
}
