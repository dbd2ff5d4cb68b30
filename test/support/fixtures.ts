import { randomUUID } from 'node:crypto';

/** Inputs that pass every check, for tests that write; overrides make the one bad part. */

/** A registration; the email is new each time. */
export function newCustomer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    fullName: 'Võ Thị Mai',
    email: `mai.vo.${randomUUID().slice(0, 8)}@example.vn`,
    phone: '0912 345 678',
    consents: [],
    ...overrides,
  };
}

export function item(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { sku: 'WHISKAS-TUNA-1.2KG', name: 'Whiskas cá ngừ 1.2kg', quantity: 1, unitPriceVnd: 145_000, ...overrides };
}

export function shipping(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recipientName: 'Võ Thị Mai',
    recipientPhone: '0987 654 321',
    street: '27 Phan Đình Phùng',
    ward: 'Phường Quán Thánh',
    district: 'Quận Ba Đình',
    province: 'Hà Nội',
    ...overrides,
  };
}
