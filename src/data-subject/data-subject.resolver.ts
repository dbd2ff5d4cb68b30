import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../customers/customer.entity';
import type { GatewayContext } from '../graphql/context';
import { notFound } from '../graphql/errors';
import { authorize, enter, inTransaction } from '../graphql/guards';
import { eraseCustomer } from '../retention/erasure';
import { CustomerDataExport, CustomerIdArgs, DeregisterArgs, ErasureReceiptView } from './data-subject.types';
import { deregisterCustomer } from './deregister';
import { exportDocument } from './export-document';
import { readSubjectData } from './subject-data';

@Resolver(() => CustomerDataExport)
export class DataSubjectResolver {
  @Mutation(() => Customer, { description: '"Cancel my registration" (P6): withdraws every consent; no new orders.' })
  deregisterCustomer(
    @Args() { customerId, channel }: DeregisterArgs,
    @Ctx() context: GatewayContext,
  ): Promise<Customer> {
    authorize(context, 'DEREGISTER_CUSTOMER');
    return inTransaction(context, [], (db) =>
      deregisterCustomer(
        db,
        customerId,
        { actorId: context.principal.id, channel, policyVersion: context.policyVersion },
        context.clock.now,
      ),
    );
  }

  @Mutation(() => ErasureReceiptView, { description: "Erases the person's data; orders keep their money records." })
  eraseCustomer(@Args() { customerId }: CustomerIdArgs, @Ctx() context: GatewayContext): Promise<ErasureReceiptView> {
    authorize(context, 'ERASE_CUSTOMER');
    return inTransaction(context, [], (db) =>
      eraseCustomer(
        db,
        customerId,
        { actorId: context.principal.id, policyVersion: context.policyVersion },
        context.clock.now,
      ),
    );
  }

  @Query(() => CustomerDataExport, {
    description: 'Everything held about a customer, for their access request (X-Purpose: DATA_SUBJECT_REQUEST).',
  })
  async exportCustomerData(
    @Args() { customerId }: CustomerIdArgs,
    @Ctx() context: GatewayContext,
  ): Promise<CustomerDataExport> {
    enter(context, 'Query.exportCustomerData');
    const subject = await readSubjectData(context.db.manager, customerId);
    if (!subject) throw notFound('customer');
    return { customerId, exportedAt: context.clock.now, subject };
  }

  /** Each personal value goes through the policy and the audit like any field would. */
  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description: 'One JSON document (null if it could not be audited).',
  })
  document(@Root() { subject }: CustomerDataExport, @Ctx() context: GatewayContext, @Info() info: GraphQLResolveInfo) {
    return exportDocument(subject, (field, row) => context.disclosures.permits(field, row, info));
  }
}
