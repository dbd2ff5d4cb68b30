import { Ctx, Query, Resolver } from 'type-graphql';
import type { GatewayContext } from '../context';
import { purposesOf } from '../../policy';
import { PrincipalView } from '../../auth/principal.type';

@Resolver()
export class PrincipalResolver {
  @Query(() => PrincipalView, { description: 'Who this request acts as.' })
  me(@Ctx() { principal }: GatewayContext): PrincipalView {
    return { ...principal, purposes: [...purposesOf(principal)], carrierId: principal.carrierId ?? null };
  }
}
