/**
 * The privacy policy as data: which role may use which field for which purpose, and
 * what each entry into personal data reaches. This file is the single source of truth:
 * the decision function reads it, the `@purpose` directives in the SDL are generated
 * from it, and `npm run matrix` prints it. Change a rule here and everything follows.
 */
import { REQUEST_KINDS, ROLES, type ConsentTopic, type Purpose, type RequestKind, type Role } from './vocabulary';

export type LegalBasis = 'CONTRACT' | 'CONSENT' | 'LEGAL_OBLIGATION';

export const LEGAL_BASIS: Record<Purpose, LegalBasis> = {
  ORDER_PROCESSING: 'CONTRACT',
  SHIPPING: 'CONTRACT',
  CUSTOMER_CARE: 'CONTRACT',
  MARKETING: 'CONSENT',
  DATA_SUBJECT_REQUEST: 'LEGAL_OBLIGATION',
};

/** Writes a role may perform; reads are governed by reach and fields. */
export type Action =
  | 'REGISTER_CUSTOMER'
  | 'PLACE_ORDER'
  | 'UPDATE_ORDER_STATUS'
  | 'ASSIGN_CARRIER'
  | 'UPDATE_DELIVERY_STATUS'
  | 'RECORD_CONSENT'
  | 'DEREGISTER_CUSTOMER'
  | 'ERASE_CUSTOMER'
  | 'OPEN_DATA_SUBJECT_REQUEST'
  | 'HANDLE_DATA_SUBJECT_REQUEST'
  | 'CORRECT_CUSTOMER'
  /** Have the gateway send a campaign to a topic's audience, and follow its delivery. */
  | 'SCHEDULE_CAMPAIGN';

export interface RoleRule {
  purposes: readonly Purpose[];
  actions: readonly Action[];
  /** A carrier's principal names its carrier: the rows its scopes are cut to. */
  actsForCarrier?: true;
  /** An outside integration: runs only the operations registered in contracts/ (design: P8). */
  safelistedOperationsOnly?: true;
}

export const ROLE_RULES: Record<Role, RoleRule> = {
  STOREFRONT: {
    purposes: [],
    actions: [
      'REGISTER_CUSTOMER',
      'PLACE_ORDER',
      'RECORD_CONSENT',
      'DEREGISTER_CUSTOMER',
      'OPEN_DATA_SUBJECT_REQUEST',
      'CORRECT_CUSTOMER',
    ],
  },
  ORDER_PROCESSOR: {
    purposes: ['ORDER_PROCESSING'],
    actions: ['UPDATE_ORDER_STATUS', 'ASSIGN_CARRIER'],
  },
  CARRIER: {
    purposes: ['SHIPPING'],
    actions: ['UPDATE_DELIVERY_STATUS'],
    actsForCarrier: true,
    safelistedOperationsOnly: true,
  },
  SUPPORT_AGENT: {
    purposes: ['CUSTOMER_CARE'],
    actions: [
      'REGISTER_CUSTOMER',
      'PLACE_ORDER',
      'UPDATE_ORDER_STATUS',
      'RECORD_CONSENT',
      'DEREGISTER_CUSTOMER',
      'OPEN_DATA_SUBJECT_REQUEST',
      'CORRECT_CUSTOMER',
    ],
  },
  MARKETING: {
    purposes: ['MARKETING'],
    actions: ['SCHEDULE_CAMPAIGN'],
  },
  ANALYST: {
    purposes: [],
    actions: [],
  },
  PRIVACY_OFFICER: {
    purposes: ['DATA_SUBJECT_REQUEST'],
    actions: [
      'RECORD_CONSENT',
      'DEREGISTER_CUSTOMER',
      'ERASE_CUSTOMER',
      'OPEN_DATA_SUBJECT_REQUEST',
      'HANDLE_DATA_SUBJECT_REQUEST',
      'CORRECT_CUSTOMER',
    ],
  },
};

/**
 * Every way into personal data: the root fields that reach data subjects, and the
 * relation edges that lead from one row to a subject (or to facts about one).
 */
export type Entry =
  | 'Query.customer'
  | 'Query.customers'
  | 'Query.marketingAudience'
  | 'Query.order'
  | 'Query.orders'
  | 'Query.deliveries'
  | 'Query.auditEvents'
  | 'Query.exportCustomerData'
  | 'Order.customer'
  | 'Customer.orders'
  | 'Customer.consents'
  | 'Customer.consentHistory'
  | 'Customer.unsubscribeUrl'
  | 'Customer.disclosures'
  | 'Query.dataSubjectRequests'
  | 'Customer.dataSubjectRequests'
  | 'DataSubjectRequest.customer'
  | 'Query.customersOnOldNotice';

/**
 * Which rows of an entry a role reaches. The policy turns each into a `RowFilter`
 * (data) that stores turn into SQL, or into a check on the subject's facts.
 */
export type RowScope =
  /** Every row. */
  | 'ANY'
  /** Orders open, or closed less than the shipping retention window ago. */
  | 'ORDERS_WITHIN_RETENTION'
  /** The carrier's own shipments that are under way. */
  | 'OWN_ACTIVE_SHIPMENTS'
  /** Looked up by id: the carrier's own shipments, finished ones too (their recipient is then past retention). */
  | 'OWN_SHIPMENTS'
  /** Customers whose latest consent to the topic asked for is GRANTED: the marketing audience. */
  | 'AUDIENCE';

export interface EntryRule {
  /** Root entries only: whether it reaches one data subject or many (a list or a search). */
  subjects?: 'ONE' | 'MANY';
  /** The roles that may take it, each with its row scope; a role absent here may not. */
  roles: Partial<Record<Role, RowScope>>;
  /** When set, only a request acting under one of these purposes may take it. */
  purposes?: readonly Purpose[];
  /** Taking it hands out something that names the subject (a link): audited and counted like a release. */
  disclosesSubject?: true;
}

/** The staff roles that look customers and orders up for their own work. */
const LOOKUP: Partial<Record<Role, RowScope>> = { SUPPORT_AGENT: 'ANY', ANALYST: 'ANY', PRIVACY_OFFICER: 'ANY' };

export const REACH: Record<Entry, EntryRule> = {
  'Query.customer': { subjects: 'ONE', roles: { ...LOOKUP, MARKETING: 'ANY' } },
  'Query.customers': { subjects: 'MANY', roles: LOOKUP },
  'Query.marketingAudience': { subjects: 'MANY', roles: { MARKETING: 'AUDIENCE' }, purposes: ['MARKETING'] },
  'Query.order': {
    subjects: 'ONE',
    roles: { ...LOOKUP, ORDER_PROCESSOR: 'ORDERS_WITHIN_RETENTION', CARRIER: 'OWN_SHIPMENTS' },
  },
  'Query.orders': {
    subjects: 'MANY',
    roles: { ...LOOKUP, ORDER_PROCESSOR: 'ORDERS_WITHIN_RETENTION', CARRIER: 'OWN_ACTIVE_SHIPMENTS' },
  },
  'Query.deliveries': { subjects: 'MANY', roles: { CARRIER: 'OWN_ACTIVE_SHIPMENTS' } },
  'Query.auditEvents': { subjects: 'MANY', roles: { PRIVACY_OFFICER: 'ANY' } },
  'Query.exportCustomerData': {
    subjects: 'ONE',
    roles: { PRIVACY_OFFICER: 'ANY' },
    purposes: ['DATA_SUBJECT_REQUEST'],
  },
  'Order.customer': { roles: { ...LOOKUP, ORDER_PROCESSOR: 'ANY' } },
  'Customer.orders': { roles: LOOKUP },
  // The storefront reaches a customer only in the replies to its own writes.
  'Customer.consents': { roles: { ...LOOKUP, STOREFRONT: 'ANY', ORDER_PROCESSOR: 'ANY', MARKETING: 'AUDIENCE' } },
  'Customer.consentHistory': {
    roles: { ...LOOKUP, STOREFRONT: 'ANY', ORDER_PROCESSOR: 'ANY', MARKETING: 'AUDIENCE' },
  },
  'Customer.unsubscribeUrl': {
    roles: { MARKETING: 'AUDIENCE' },
    purposes: ['MARKETING'],
    disclosesSubject: true,
  },
  'Customer.disclosures': { roles: { PRIVACY_OFFICER: 'ANY' } },
  'Query.dataSubjectRequests': { subjects: 'MANY', roles: { PRIVACY_OFFICER: 'ANY' } },
  'Customer.dataSubjectRequests': { roles: { PRIVACY_OFFICER: 'ANY' } },
  // Only those who may look customers up learn, from a case, whether its customer exists.
  'DataSubjectRequest.customer': { roles: { SUPPORT_AGENT: 'ANY', PRIVACY_OFFICER: 'ANY' } },
  'Query.customersOnOldNotice': { subjects: 'MANY', roles: { PRIVACY_OFFICER: 'ANY' } },
};

/** The rows an order-changing action may touch: those of the role's order list. */
export const ACTION_ENTRY: Partial<Record<Action, Entry>> = {
  UPDATE_ORDER_STATUS: 'Query.orders',
  ASSIGN_CARRIER: 'Query.orders',
  UPDATE_DELIVERY_STATUS: 'Query.orders',
};

/**
 * Searches by protected fields: the argument, and which field its term is matched
 * against. Matching a subject is a use of the field, decided like reading it.
 */
export const SEARCHES = {
  'Query.customers.search': ['Customer.fullName', 'Customer.email', 'Customer.phone'],
} as const satisfies Record<string, readonly ProtectedField[]>;

export type SearchArgument = keyof typeof SEARCHES;

/** Every place personal data is used: a field read, an entry taken, a search argument matched. */
export type UseCoordinate = ProtectedField | Entry | SearchArgument;

/**
 * Purposes that serve one person at a time (the person's own request): their contact
 * fields are released only through entries that reach one subject, never in lists or
 * search results.
 */
export const ONE_SUBJECT_PURPOSES: readonly Purpose[] = ['DATA_SUBJECT_REQUEST'];

/**
 * Default budgets of distinct customers whose personal data one principal may be given
 * or matched per window (design: P9, no bulk extraction). Roles absent here never receive
 * personal data. The privacy officer serves one person at a time, so its budget is
 * small too. Operators override them with DISCLOSURE_LIMITS.
 */
export const DEFAULT_DISCLOSURE_LIMITS: Partial<Record<Role, number>> = {
  ORDER_PROCESSOR: 2000,
  CARRIER: 1000,
  SUPPORT_AGENT: 500,
  MARKETING: 500,
  PRIVACY_OFFICER: 100,
};
export const DEFAULT_DISCLOSURE_WINDOW_MINUTES = 60;

/** How long personal data, and the record of its uses, outlive their purpose (design: P5); operators override them. */
export interface RetentionWindows {
  /** After an order is delivered or cancelled, its shipping contact data is kept this long. */
  shippingDays: number;
  /** After deregistering and once every order is closed, the customer is anonymised this much later. */
  deregisteredDays: number;
  /** The audit trail is kept this many whole months, then dropped a month at a time. */
  auditMonths: number;
  /** With no order and no account activity this long, the customer is deregistered by the sweep. */
  inactiveDays: number;
  /** Marketing consent to a topic not given again this long lapses. */
  consentMaxAgeDays: number;
}
export const DEFAULT_RETENTION: RetentionWindows = {
  shippingDays: 30,
  deregisteredDays: 30,
  auditMonths: 24,
  inactiveDays: 730,
  consentMaxAgeDays: 730,
};

/**
 * What still reads a deregistered customer's data (design: P6): the orders that were already
 * open must still be processed and delivered, and the person may still exercise their
 * own rights.
 */
export const PURPOSES_AFTER_DEREGISTRATION: readonly Purpose[] = [
  'ORDER_PROCESSING',
  'SHIPPING',
  'DATA_SUBJECT_REQUEST',
];

/** Data categories, named after the Fides taxonomy. */
export type DataCategory = 'user.name' | 'user.contact.email' | 'user.contact.phone_number' | 'user.contact.address';

/** The GraphQL types whose fields hold personal data. */
export type SubjectType = 'Customer' | 'Shipment';

/** The table holding each subject type's row: the columns of its fields' rules are in it. */
export const SUBJECT_TABLES: Record<SubjectType, string> = { Customer: 'customers', Shipment: 'shipments' };

export interface FieldRule {
  category: DataCategory;
  /** The least each purpose needs: a purpose absent here never reads the field. */
  purposes: readonly Purpose[];
  /**
   * Every column of the subject type's table that holds the value, or anything derived
   * from it: erasure nulls exactly these, so a column missing here outlives erasure.
   */
  columns: readonly [string, ...string[]];
}

/**
 * MARKETING reads neither names nor addresses: the gateway sends its campaigns and fills
 * in the given name itself (see MESSAGE_RULES), so the audience is ids and counts.
 */
const CUSTOMER_IDENTITY: readonly Purpose[] = ['ORDER_PROCESSING', 'CUSTOMER_CARE', 'DATA_SUBJECT_REQUEST'];
const RECIPIENT: readonly Purpose[] = ['ORDER_PROCESSING', 'SHIPPING', 'CUSTOMER_CARE', 'DATA_SUBJECT_REQUEST'];

export const PROTECTED_FIELDS = {
  'Customer.fullName': { category: 'user.name', purposes: CUSTOMER_IDENTITY, columns: ['full_name', 'name_words'] },
  'Customer.email': { category: 'user.contact.email', purposes: CUSTOMER_IDENTITY, columns: ['email'] },
  'Customer.phone': {
    category: 'user.contact.phone_number',
    purposes: ['ORDER_PROCESSING', 'CUSTOMER_CARE', 'DATA_SUBJECT_REQUEST'],
    columns: ['phone'],
  },
  'Shipment.recipientName': { category: 'user.name', purposes: RECIPIENT, columns: ['recipient_name'] },
  'Shipment.recipientPhone': {
    category: 'user.contact.phone_number',
    purposes: RECIPIENT,
    columns: ['recipient_phone'],
  },
  'Shipment.address': {
    category: 'user.contact.address',
    purposes: RECIPIENT,
    columns: ['street', 'ward', 'district', 'province'],
  },
} as const satisfies Record<`${SubjectType}.${string}`, FieldRule>;

export type ProtectedField = keyof typeof PROTECTED_FIELDS;

export function isProtectedField(coordinate: string): coordinate is ProtectedField {
  return Object.prototype.hasOwnProperty.call(PROTECTED_FIELDS, coordinate);
}

export function subjectTypeOf(field: ProtectedField): SubjectType {
  return field.slice(0, field.indexOf('.')) as SubjectType;
}

/** The property of the subject's object that holds the field: the coordinate's part after the dot. */
export function propertyOf(field: ProtectedField): string {
  return field.slice(field.indexOf('.') + 1);
}

export function protectedFieldsOf(subjectType: SubjectType): ProtectedField[] {
  return (Object.keys(PROTECTED_FIELDS) as ProtectedField[]).filter((field) => subjectTypeOf(field) === subjectType);
}

/** The columns of `SUBJECT_TABLES[subjectType]` that hold personal data, each once. */
export function personalColumns(subjectType: SubjectType): string[] {
  const columns = protectedFieldsOf(subjectType).flatMap((field): readonly string[] => PROTECTED_FIELDS[field].columns);
  return [...new Set(columns)];
}

/**
 * The action each mutation performs, which decides who reaches it in the published
 * contracts; `null`: no role's, a signed link is its only authority. A mutation missing
 * here reaches no audience's contract (test/schema checks that none is missing).
 */
export const MUTATION_ACTIONS: Record<`Mutation.${string}`, Action | null> = {
  'Mutation.registerCustomer': 'REGISTER_CUSTOMER',
  'Mutation.placeOrder': 'PLACE_ORDER',
  'Mutation.updateOrderStatus': 'UPDATE_ORDER_STATUS',
  'Mutation.assignCarrier': 'ASSIGN_CARRIER',
  'Mutation.updateDeliveryStatus': 'UPDATE_DELIVERY_STATUS',
  'Mutation.grantConsent': 'RECORD_CONSENT',
  'Mutation.withdrawConsent': 'RECORD_CONSENT',
  'Mutation.deregisterCustomer': 'DEREGISTER_CUSTOMER',
  'Mutation.eraseCustomer': 'ERASE_CUSTOMER',
  'Mutation.unsubscribe': null,
  'Mutation.openDataSubjectRequest': 'OPEN_DATA_SUBJECT_REQUEST',
  'Mutation.acknowledgeDataSubjectRequest': 'HANDLE_DATA_SUBJECT_REQUEST',
  'Mutation.closeDataSubjectRequest': 'HANDLE_DATA_SUBJECT_REQUEST',
  'Mutation.correctCustomer': 'CORRECT_CUSTOMER',
  'Mutation.scheduleCampaign': 'SCHEDULE_CAMPAIGN',
};

/**
 * Queries that serve an action rather than reach personal data: only the roles that may
 * perform the action may ask them, and only their audiences' contracts hold them.
 */
export const QUERY_ACTIONS: Record<`Query.${string}`, Action> = {
  'Query.campaign': 'SCHEDULE_CAMPAIGN',
  'Query.campaigns': 'SCHEDULE_CAMPAIGN',
  'Query.campaignAudienceSize': 'SCHEDULE_CAMPAIGN',
};

/**
 * The consumers the gateway publishes a contract for (contracts/<audience>/), each with
 * the roles its integration acts as: its schema holds only what those roles reach.
 */
export const CONTRACT_AUDIENCES = {
  carrier: ROLES.filter((role) => ROLE_RULES[role].safelistedOperationsOnly),
  dashboard: ROLES.filter((role) => !ROLE_RULES[role].safelistedOperationsOnly),
} as const satisfies Record<string, readonly Role[]>;

export type ContractAudience = keyof typeof CONTRACT_AUDIENCES;

/*
 * Data-subject requests as cases (Law 91/2025/QH15, Decree 356/2025). A purpose that
 * serves a person's own request releases their data only while a request of a fitting
 * kind is open for that person; closing the request ends it on the next request.
 */

/** Purposes that act only under an open data-subject request of the person. */
export const CASE_BOUND_PURPOSES: readonly Purpose[] = ['DATA_SUBJECT_REQUEST'];

/** What a case-bound purpose does with a person's data: each needs an open request of these kinds. */
export type CaseUse = 'READ_CONTACT' | 'EXPORT' | 'ERASE' | 'CORRECT';

export const CASE_KINDS_FOR_USE: Record<CaseUse, readonly RequestKind[]> = {
  // Any open request of the person lets the officer read their contact data to answer it.
  READ_CONTACT: REQUEST_KINDS,
  EXPORT: ['ACCESS', 'COPY'],
  ERASE: ['ERASURE'],
  CORRECT: ['CORRECTION'],
};

/** Root entries that, under a case-bound purpose, are a use of their own kind. */
export const CASE_BOUND_ENTRIES: Partial<Record<Entry, CaseUse>> = { 'Query.exportCustomerData': 'EXPORT' };

/** Actions that, under a case-bound purpose, are a use of their own kind. */
export const CASE_BOUND_ACTIONS: Partial<Record<Action, CaseUse>> = {
  ERASE_CUSTOMER: 'ERASE',
  CORRECT_CUSTOMER: 'CORRECT',
};

/**
 * Actions a role with purposes performs only under one of these. A role without any
 * purpose (the storefront) acts for the customer signed in to their own account.
 */
export const ACTION_PURPOSES: Partial<Record<Action, readonly Purpose[]>> = {
  CORRECT_CUSTOMER: ['CUSTOMER_CARE', 'DATA_SUBJECT_REQUEST'],
};

/**
 * While a RESTRICTION request is open, the person's data serves only these purposes, and
 * the delivery of orders already open (the shipping block, for the purposes below).
 */
export const PURPOSES_DURING_RESTRICTION: readonly Purpose[] = ['DATA_SUBJECT_REQUEST'];
export const PURPOSES_DELIVERING_OPEN_ORDERS: readonly Purpose[] = ['ORDER_PROCESSING', 'SHIPPING'];

/** The request kinds whose open case restricts the person's data. */
export const RESTRICTING_KINDS: readonly RequestKind[] = ['RESTRICTION'];

/**
 * The purposes a person objects to with an open request of this kind: refused as without
 * consent, even if a grant is recorded while the objection is being handled.
 */
export const PURPOSES_OBJECTED_TO: Partial<Record<RequestKind, readonly Purpose[]>> = { OBJECTION: ['MARKETING'] };

/** Legal deadlines of a request, counted from its receipt; operators override the day counts. */
export interface DeadlineRules {
  /** Working days (not Saturday, Sunday or a holiday) to acknowledge a request. */
  acknowledgeWorkingDays: number;
  /** Calendar days to answer a request of each kind. */
  answerDays: Record<RequestKind, number>;
  /** Days off besides weekends: `MM-DD` every year, or one `YYYY-MM-DD`. */
  holidays: readonly string[];
  /** The offset of local time the days are counted in, in minutes east of UTC (Vietnam: +420). */
  utcOffsetMinutes: number;
}

/** Vietnam's public holidays that fall on the same date every year (the lunar ones move: list them in HOLIDAYS). */
export const VIETNAM_FIXED_HOLIDAYS: readonly string[] = ['01-01', '04-30', '05-01', '09-02'];

export const DEFAULT_DEADLINES: DeadlineRules = {
  acknowledgeWorkingDays: 2,
  answerDays: {
    ACCESS: 10,
    COPY: 10,
    CORRECTION: 10,
    RESTRICTION: 10,
    OBJECTION: 10,
    WITHDRAW_CONSENT: 10,
    ERASURE: 20,
    DEREGISTRATION: 20,
  },
  holidays: VIETNAM_FIXED_HOLIDAYS,
  utcOffsetMinutes: 7 * 60,
};

/**
 * The emails the gateway sends itself (use without disclosure): the purpose each kind
 * serves, the field it uses to reach the person, and whether it rests on a topic's
 * consent (and so carries an unsubscribe link). Sending is decided per recipient at the
 * moment of sending by `decideSend`, like a read of the field under that purpose.
 */
export type MessageKind = 'CAMPAIGN' | 'ORDER_NOTICE' | 'THANK_YOU';

export interface MessageRule {
  purpose: Purpose;
  field: ProtectedField;
  /** The topic whose consent it needs: the campaign's own, or a fixed one. Absent: none. */
  topic?: 'OF_CAMPAIGN' | ConsentTopic;
}

export const MESSAGE_RULES: Record<MessageKind, MessageRule> = {
  CAMPAIGN: { purpose: 'MARKETING', field: 'Customer.email', topic: 'OF_CAMPAIGN' },
  ORDER_NOTICE: { purpose: 'ORDER_PROCESSING', field: 'Customer.email' },
  THANK_YOU: { purpose: 'MARKETING', field: 'Customer.email', topic: 'THANK_YOU' },
};
