import type { DataSource, EntityManager } from 'typeorm';
import { issueToken } from '../auth/tokens';
import { registerCustomer } from '../customers/customer.store';
import { Customer } from '../customers/customer.entity';
import { assignCarrier, changeDeliveryStatus, changeOrderStatus, placeOrder } from '../orders/order.operations';
import type { DeliveryStatus } from '../orders/order-lifecycle';
import type { ConsentTopic, Role, RowFilter } from '../policy';
import { ROLES } from '../policy';

/** Recorded as the actor of the demo consents and orders. */
const SEEDER_ID = 'demo-seed';

export const DEMO_CARRIERS = ['ghn', 'viettel-post'] as const;

interface DemoCustomer {
  fullName: string;
  email: string;
  phone: string;
  consents: ConsentTopic[];
  street: string;
  ward: string;
  district: string;
  province: string;
  cashOnDelivery: boolean;
  /** The demo order's journey: no carrier yet, or a carrier and how far the parcel got. */
  delivery?: { carrier: (typeof DEMO_CARRIERS)[number]; reached: DeliveryStatus[] };
}

const CUSTOMERS: DemoCustomer[] = [
  {
    fullName: 'Nguyễn Thị Lan',
    email: 'lan.nguyen@example.vn',
    phone: '0912 345 678',
    cashOnDelivery: true,
    consents: ['PROMOTIONS', 'NEWSLETTER'],
    street: '12 Lý Thường Kiệt',
    ward: 'Phường Hàng Bài',
    district: 'Quận Hoàn Kiếm',
    province: 'Hà Nội',
    delivery: { carrier: 'ghn', reached: [] },
  },
  {
    fullName: 'Trần Văn Minh',
    email: 'minh.tran@example.vn',
    phone: '0987 654 321',
    cashOnDelivery: true,
    consents: ['PET_CARE_ADVICE'],
    street: '45 Nguyễn Huệ',
    ward: 'Phường Bến Nghé',
    district: 'Quận 1',
    province: 'TP. Hồ Chí Minh',
    delivery: { carrier: 'viettel-post', reached: ['PICKED_UP', 'IN_TRANSIT'] },
  },
  {
    fullName: 'Lê Thu Hà',
    email: 'ha.le@example.vn',
    phone: '+84 903 111 222',
    cashOnDelivery: false,
    consents: [],
    street: '8 Trần Phú',
    ward: 'Phường Thạch Thang',
    district: 'Quận Hải Châu',
    province: 'Đà Nẵng',
    delivery: { carrier: 'ghn', reached: ['PICKED_UP', 'DELIVERED'] },
  },
  {
    fullName: 'Phạm Quốc Bảo',
    email: 'bao.pham@example.vn',
    phone: '0358 246 810',
    cashOnDelivery: false,
    consents: ['PROMOTIONS', 'GREETINGS'],
    street: '102 Hùng Vương',
    ward: 'Phường Phú Hội',
    district: 'TP. Huế',
    province: 'Thừa Thiên Huế',
  },
];

const ITEMS = [
  { sku: 'ROYAL-CANIN-MINI-2KG', name: 'Royal Canin Mini Adult 2kg', quantity: 1, unitPriceVnd: 385_000 },
  { sku: 'CAT-LITTER-TOFU-6L', name: 'Cát đậu nành 6L', quantity: 2, unitPriceVnd: 89_000 },
];

async function seed(db: EntityManager, policyVersion: string): Promise<void> {
  for (const demo of CUSTOMERS) {
    const customer = await registerCustomer(
      db,
      {
        fullName: demo.fullName,
        email: demo.email,
        phone: demo.phone,
        consents: demo.consents,
        consentChannel: 'CHECKOUT',
      },
      { actorId: SEEDER_ID, policyVersion },
    );
    const order = await placeOrder(db, {
      customerId: customer.id,
      items: ITEMS,
      cashOnDelivery: demo.cashOnDelivery,
      shipping: {
        recipientName: demo.fullName,
        recipientPhone: demo.phone,
        street: demo.street,
        ward: demo.ward,
        district: demo.district,
        province: demo.province,
      },
    });
    if (!demo.delivery) continue;
    // The seed is the shop setting itself up, not a request: it reaches every order.
    const everyOrder: RowFilter = {};
    await changeOrderStatus(db, everyOrder, order.id, 'CONFIRMED');
    await assignCarrier(db, everyOrder, order.id, {
      carrierId: demo.delivery.carrier,
      trackingNumber: `${demo.delivery.carrier.toUpperCase()}-${order.code}`,
    });
    for (const status of demo.delivery.reached) await changeDeliveryStatus(db, everyOrder, order.id, status);
  }
}

/** Seeds the demo shop into an empty database; leaves any other database alone. */
export async function seedDemoShopIfEmpty(dataSource: DataSource, policyVersion: string): Promise<boolean> {
  return dataSource.transaction(async (db) => {
    if ((await db.count(Customer)) > 0) return false;
    await seed(db, policyVersion);
    return true;
  });
}

export interface DemoToken {
  role: Role;
  carrierId?: string;
  token: string;
}

/** One token per role (and one per demo carrier), for the README's examples. */
export async function demoTokens(secret: string): Promise<DemoToken[]> {
  const principals = ROLES.flatMap((role): { role: Role; carrierId?: string }[] =>
    role === 'CARRIER' ? DEMO_CARRIERS.map((carrierId) => ({ role, carrierId })) : [{ role }],
  );
  return Promise.all(
    principals.map(async ({ role, carrierId }) => ({
      role,
      carrierId,
      token: await issueToken(secret, { sub: `demo-${(carrierId ?? role).toLowerCase()}`, role, carrierId }),
    })),
  );
}
