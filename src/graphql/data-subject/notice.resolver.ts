import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { Customer } from '../../customers/customer.entity';
import { customerKey } from '../../customers/customer.store';
import { keysetPage, type Page } from '../../db/keyset';
import { PageArgs, pageOf, toConnection } from '../connection';
import type { GatewayContext } from '../context';
import { enter } from '../guards';
import { CustomersOnOldNotice, NoticeVersionCount } from './old-notice.type';

/** Registered, not erased, and not on this version of the notice. */
const ON_OLD_NOTICE = `c.erased_at IS NULL AND c.deregistered_at IS NULL
  AND c.privacy_notice_version IS DISTINCT FROM :currentVersion`;

async function oldNoticeCounts(db: EntityManager, currentVersion: string): Promise<NoticeVersionCount[]> {
  const rows: { version: string | null; customers: number }[] = await db
    .createQueryBuilder(Customer, 'c')
    .select('c.privacy_notice_version', 'version')
    .addSelect('count(*)::int', 'customers')
    .where(ON_OLD_NOTICE, { currentVersion })
    .groupBy('c.privacy_notice_version')
    .orderBy('c.privacy_notice_version', 'ASC', 'NULLS FIRST')
    .getRawMany();
  return rows;
}

function oldNoticePage(db: EntityManager, currentVersion: string, page: Page): Promise<Customer[]> {
  const qb = db.createQueryBuilder(Customer, 'c').where(ON_OLD_NOTICE, { currentVersion });
  return keysetPage(qb, 'c', 'created_at', page);
}

@Resolver(() => CustomersOnOldNotice)
export class NoticeResolver {
  @Query(() => CustomersOnOldNotice, {
    description: 'After POLICY_VERSION changes: who accepted an older notice and must be told again (privacy officer).',
  })
  async customersOnOldNotice(@Args() args: PageArgs, @Ctx() context: GatewayContext): Promise<CustomersOnOldNotice> {
    enter(context, 'Query.customersOnOldNotice');
    const page = pageOf(args);
    const currentVersion = context.policyVersion;
    const versions = await oldNoticeCounts(context.dataSource.manager, currentVersion);
    const connection = toConnection(
      await oldNoticePage(context.dataSource.manager, currentVersion, page),
      page,
      customerKey,
    );
    return {
      currentVersion,
      total: versions.reduce((sum, { customers }) => sum + customers, 0),
      versions,
      customerIds: connection.edges.map(({ node }) => node.id),
      pageInfo: connection.pageInfo,
    };
  }
}
