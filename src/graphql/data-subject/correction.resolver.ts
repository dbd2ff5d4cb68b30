import { Arg, Args, Ctx, Mutation, Resolver } from 'type-graphql';
import { recordDisclosures } from '../../audit/audit.store';
import { Customer } from '../../customers/customer.entity';
import { lockCustomer } from '../../customers/customer.store';
import type { GatewayContext } from '../context';
import { badInput } from '../errors';
import { authorize, inTransaction } from '../guards';
import { resolvePurpose } from '../../policy';
import { allowedUnderCase, recordUseOfCase } from './case-bound';
import { correctCustomer } from '../../data-subject/correction.operations';
import { CorrectCustomerInput } from './correction.inputs';
import { CustomerIdArgs } from './data-subject.inputs';

@Resolver(() => Customer)
export class CorrectionResolver {
  @Mutation(() => Customer, {
    description:
      'Corrects the name, email or phone: customer care, the customer on their own account, or the privacy ' +
      'officer under an open CORRECTION request. Audited with the fields changed, never their values.',
  })
  correctCustomer(
    @Args() { customerId }: CustomerIdArgs,
    @Arg('input') input: CorrectCustomerInput,
    @Ctx() context: GatewayContext,
  ) {
    authorize(context, 'CORRECT_CUSTOMER');
    if (input.fullName === undefined && input.email === undefined && input.phone === undefined) {
      throw badInput({ argumentPath: ['input'], message: 'name at least one of fullName, email and phone' });
    }
    return inTransaction(context, ['input'], async (db) => {
      const customer = await lockCustomer(db, customerId);
      if (!customer) throw badInput({ argumentPath: ['customerId'], message: 'no customer with this id' });
      if (customer.erasedAt) throw badInput({ argumentPath: ['customerId'], message: 'was erased' });
      const caseId = allowedUnderCase(context, 'CORRECT_CUSTOMER', customer.subjectFacts());
      const changed = await correctCustomer(db, customer, input);
      if (changed.length > 0) {
        const purpose = resolvePurpose(context.principal, context.declaredPurpose);
        const record = {
          customerIds: [customerId],
          decision: 'CORRECTED' as const,
          reason: null,
          purpose: purpose.allowed ? purpose.purpose : null,
          fields: changed,
          caseId,
        };
        await recordDisclosures(db, context, [record], undefined);
        await recordUseOfCase(db, context, caseId, `correctCustomer: ${changed.join(', ')}`);
      }
      return db.findOneByOrFail(Customer, { id: customerId });
    });
  }
}
