/**
 * The privacy policy as data (DESIGN.md §2). This file is the single source of truth:
 * the decision function reads it, the `@purpose` directives in the SDL are generated
 * from it, and `npm run matrix` prints it. Change a rule here and everything follows.
 */
import type { Purpose, Role } from './vocabulary';

export type LegalBasis = 'CONTRACT' | 'CONSENT' | 'LEGAL_OBLIGATION';

export const LEGAL_BASIS: Record<Purpose, LegalBasis> = {
  ORDER_PROCESSING: 'CONTRACT',
  SHIPPING: 'CONTRACT',
  CUSTOMER_CARE: 'CONTRACT',
  MARKETING: 'CONSENT',
  DATA_SUBJECT_REQUEST: 'LEGAL_OBLIGATION',
};

/** Which customers a role may reach at all, before any field is read. */
export type CustomerScope =
  | 'ALL'
  | 'THROUGH_ORDERS' // only as the customer of an order the role can see
  | 'CONSENTED_TO_TOPIC' // only through marketingAudience(topic)
  | 'NONE';

/** Which orders (and their shipments) a role may reach. */
export type OrderScope =
  | 'ALL'
  | 'WITHIN_RETENTION' // open, or closed less than the shipping retention window ago
  | 'OWN_SHIPMENTS' // lists show those under way; a finished one is still found by id, its recipient withheld
  | 'NONE';

/** Writes a role may perform; reads are governed by scopes and fields. */
export type Action =
  | 'REGISTER_CUSTOMER'
  | 'PLACE_ORDER'
  | 'UPDATE_ORDER_STATUS'
  | 'ASSIGN_CARRIER'
  | 'UPDATE_DELIVERY_STATUS'
  | 'RECORD_CONSENT'
  | 'DEREGISTER_CUSTOMER'
  | 'ERASE_CUSTOMER';

export interface RoleRule {
  purposes: readonly Purpose[];
  customers: CustomerScope;
  orders: OrderScope;
  actions: readonly Action[];
  /** Reads who was given which customer's data (P7). */
  readsAuditTrail?: true;
  /** An outside integration: runs only the operations registered in contracts/ (P8). */
  safelistedOperationsOnly?: true;
}

export const ROLE_RULES: Record<Role, RoleRule> = {
  STOREFRONT: {
    purposes: [],
    customers: 'NONE',
    orders: 'NONE',
    actions: ['REGISTER_CUSTOMER', 'PLACE_ORDER', 'RECORD_CONSENT', 'DEREGISTER_CUSTOMER'],
  },
  ORDER_PROCESSOR: {
    purposes: ['ORDER_PROCESSING'],
    customers: 'THROUGH_ORDERS',
    orders: 'WITHIN_RETENTION',
    actions: ['UPDATE_ORDER_STATUS', 'ASSIGN_CARRIER'],
  },
  CARRIER: {
    purposes: ['SHIPPING'],
    customers: 'NONE',
    orders: 'OWN_SHIPMENTS',
    actions: ['UPDATE_DELIVERY_STATUS'],
    safelistedOperationsOnly: true,
  },
  SUPPORT_AGENT: {
    purposes: ['CUSTOMER_CARE'],
    customers: 'ALL',
    orders: 'ALL',
    actions: ['REGISTER_CUSTOMER', 'PLACE_ORDER', 'UPDATE_ORDER_STATUS', 'RECORD_CONSENT', 'DEREGISTER_CUSTOMER'],
  },
  MARKETING: {
    purposes: ['MARKETING'],
    customers: 'CONSENTED_TO_TOPIC',
    orders: 'NONE',
    actions: [],
  },
  ANALYST: {
    purposes: [],
    customers: 'ALL',
    orders: 'ALL',
    actions: [],
  },
  PRIVACY_OFFICER: {
    purposes: ['DATA_SUBJECT_REQUEST'],
    customers: 'ALL',
    orders: 'ALL',
    actions: ['RECORD_CONSENT', 'DEREGISTER_CUSTOMER', 'ERASE_CUSTOMER'],
    readsAuditTrail: true,
  },
};

/**
 * Default budgets of distinct customers whose personal data one principal may be given
 * per window (P9: no bulk extraction). Roles absent here have no budget: the privacy
 * officer must reach everyone, and the others never receive personal data. Operators
 * override them with DISCLOSURE_LIMITS.
 */
export const DEFAULT_DISCLOSURE_LIMITS: Partial<Record<Role, number>> = {
  ORDER_PROCESSOR: 2000,
  CARRIER: 1000,
  SUPPORT_AGENT: 500,
  MARKETING: 500,
};
export const DEFAULT_DISCLOSURE_WINDOW_MINUTES = 60;

/** How long personal data outlives its purpose (P5), in days; operators override them. */
export interface RetentionWindows {
  /** After an order is delivered or cancelled, its shipping contact data is kept this long. */
  shippingDays: number;
  /** After deregistering and once every order is closed, the customer is anonymised this much later. */
  deregisteredDays: number;
}
export const DEFAULT_RETENTION: RetentionWindows = { shippingDays: 30, deregisteredDays: 30 };

/**
 * What still reads a deregistered customer's data (P6): the orders that were already
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

const CUSTOMER_IDENTITY: readonly Purpose[] = [
  'ORDER_PROCESSING',
  'CUSTOMER_CARE',
  'MARKETING',
  'DATA_SUBJECT_REQUEST',
];
const RECIPIENT: readonly Purpose[] = ['ORDER_PROCESSING', 'SHIPPING', 'CUSTOMER_CARE', 'DATA_SUBJECT_REQUEST'];

export const PROTECTED_FIELDS = {
  'Customer.fullName': { category: 'user.name', purposes: CUSTOMER_IDENTITY, columns: ['full_name'] },
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
