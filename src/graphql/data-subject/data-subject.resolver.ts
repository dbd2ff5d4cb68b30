import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Args, Ctx, FieldResolver, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer } from '../../customers/customer.entity';
import { requireCustomer } from '../../customers/customer.store';
import type { PolicySubject } from '../../audit/disclosure-terms';
import type { GatewayContext } from '../context';
import { notFound, refusedUse } from '../errors';
import { authorize, enter, inTransaction } from '../guards';
import { caseUseOfEntry, decideCaseUse } from '../../policy';
import { eraseCustomer } from '../../retention/erasure.operations';
import { allowedUnderCase, recordUseOfCase, underOneCase } from './case-bound';
import { CustomerDataExport, ErasureReceiptView } from '../../data-subject/data-subject.type';
import { CustomerIdArgs, DeregisterArgs } from './data-subject.inputs';
import { deregisterCustomer } from '../../data-subject/deregistration.operations';
import { exportDocument } from '../../data-subject/export-document';
import { readSubjectData } from '../../data-subject/subject-data';

const EXPORT_ENTRY = 'Query.exportCustomerData';

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

  @Mutation(() => ErasureReceiptView, {
    description: "Erases the person's data; orders keep their money records. Under an open ERASURE request.",
  })
  eraseCustomer(@Args() { customerId }: CustomerIdArgs, @Ctx() context: GatewayContext): Promise<ErasureReceiptView> {
    authorize(context, 'ERASE_CUSTOMER');
    return inTransaction(context, [], async (db) => {
      const customer = await requireCustomer(db, customerId);
      const caseId = allowedUnderCase(context, 'ERASE_CUSTOMER', customer.subjectFacts());
      await recordUseOfCase(db, context, caseId, 'eraseCustomer');
      return eraseCustomer(
        db,
        customerId,
        { actorId: context.principal.id, policyVersion: context.policyVersion },
        context.clock.now,
      );
    });
  }

  @Query(() => CustomerDataExport, {
    description:
      'Everything held about a customer, for their access request (X-Purpose: DATA_SUBJECT_REQUEST, ' +
      'under an open ACCESS or COPY request).',
  })
  async exportCustomerData(
    @Args() { customerId }: CustomerIdArgs,
    @Ctx() context: GatewayContext,
  ): Promise<CustomerDataExport> {
    enter(context, EXPORT_ENTRY);
    const subject = await readSubjectData(context.dataSource.manager, customerId);
    if (!subject) throw notFound('customer');
    const facts = subject.customer.subjectFacts();
    const use = caseUseOfEntry(EXPORT_ENTRY);
    const decision = use ? decideCaseUse(context.principal, context.declaredPurpose, use, facts) : undefined;
    if (decision && !decision.allowed) throw refusedUse('exportCustomerData', decision.reason, ['customerId']);
    const caseRequest = facts.openRequests?.find((request) => request.id === decision?.caseId);
    return { customerId, exportedAt: context.clock.now, subject, caseRequest };
  }

  /** Each personal value goes through the policy and the audit like any field would. */
  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description: 'One JSON document (null if it could not be audited).',
  })
  document(
    @Root() { subject, caseRequest }: CustomerDataExport,
    @Ctx() context: GatewayContext,
    @Info() info: GraphQLResolveInfo,
  ) {
    const asSeen = caseRequest ? underOneCase(caseRequest) : (row: PolicySubject) => row;
    return exportDocument(subject, (field, row) => context.disclosures.permits(field, asSeen(row), info));
  }
}
