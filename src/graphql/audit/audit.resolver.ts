import { Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../../customers/customer.entity';
import { Connection, emptyConnection, PageArgs, pageOf, toConnection } from '../connection';
import type { GatewayContext } from '../context';
import { enter } from '../guards';
import { AuditEvent } from '../../audit/audit-event.entity';
import { AuditEventsArgs } from './audit.inputs';
import { auditEventsPage, auditKey } from '../../audit/audit.store';

export const AuditEventConnection = Connection('AuditEvent', AuditEvent);

@Resolver(() => Customer)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit trail, newest first. Privacy officer only.' })
  async auditEvents(@Args() { first, after, ...filter }: AuditEventsArgs, @Ctx() context: GatewayContext) {
    enter(context, 'Query.auditEvents');
    const page = pageOf({ first, after });
    return toConnection(await auditEventsPage(context.dataSource.manager, filter, page), page, auditKey);
  }

  @FieldResolver(() => AuditEventConnection, {
    description:
      "Who was given this customer's personal data, which fields, for which purpose, when. Privacy officer only.",
  })
  async disclosures(@Root() customer: Customer, @Args() args: PageArgs, @Ctx() context: GatewayContext) {
    if (!context.disclosures.follows('Customer.disclosures', customer.id)) return emptyConnection();
    const page = pageOf(args);
    return toConnection(await context.loaders.disclosuresOfCustomer(page).load(customer.id), page, auditKey);
  }
}
