import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { AuditResolver } from './audit/audit.resolver';
import { CampaignResolver } from './campaigns/campaign.resolver';
import { PrincipalResolver } from './auth/principal.resolver';
import { ConsentResolver } from './consents/consent.resolver';
import { CustomerUnsubscribeResolver, UnsubscribeResolver } from './consents/unsubscribe.resolver';
import { CustomerResolver } from './customers/customer.resolver';
import { DataSubjectResolver } from './data-subject/data-subject.resolver';
import { CustomerRequestsResolver, DataSubjectRequestResolver } from './data-subject/request.resolver';
import { CorrectionResolver } from './data-subject/correction.resolver';
import { NoticeResolver } from './data-subject/notice.resolver';
import { OrderResolver } from './orders/order.resolver';
import { enforcePurposes } from './disclosure/enforce-purposes';
import { DateTimeScalar } from '../vocabulary/scalars';
import { validateArguments } from './validation';

export function buildGatewaySchema(): GraphQLSchema {
  const schema = buildSchemaSync({
    resolvers: [
      PrincipalResolver,
      CustomerResolver,
      OrderResolver,
      ConsentResolver,
      UnsubscribeResolver,
      CustomerUnsubscribeResolver,
      AuditResolver,
      DataSubjectResolver,
      DataSubjectRequestResolver,
      CustomerRequestsResolver,
      CorrectionResolver,
      NoticeResolver,
      CampaignResolver,
    ],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validateFn: validateArguments,
  });
  return enforcePurposes(schema);
}

/** The SDL as committed in schema.graphql, with each field's @purpose printed. */
export function printGatewaySchema(schema: GraphQLSchema): string {
  return `${printSchemaWithDirectives(lexicographicSortSchema(schema))}\n`;
}
