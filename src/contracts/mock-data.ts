/**
 * Plausible Vietnamese data for the mock server: names, mobile numbers, and addresses
 * whose ward, district and province belong together. Made up; no real person's.
 */
const FAMILY_NAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ'];
const MIDDLE_NAMES = ['Văn', 'Thị', 'Minh', 'Ngọc', 'Hữu', 'Thanh', 'Đức', 'Thu', 'Gia', 'Quốc'];
const GIVEN_NAMES = ['An', 'Bình', 'Chi', 'Dũng', 'Hà', 'Hải', 'Hương', 'Khánh', 'Lan', 'Linh', 'Mai', 'Nam', 'Phương'];
const STREETS = ['Lý Thường Kiệt', 'Nguyễn Huệ', 'Trần Phú', 'Lê Lợi', 'Hai Bà Trưng', 'Điện Biên Phủ', 'Nguyễn Trãi'];

/** [province, district, wards]: each a real place and its real parts. */
const PLACES: readonly [string, string, readonly string[]][] = [
  ['Hà Nội', 'Quận Ba Đình', ['Phường Điện Biên', 'Phường Kim Mã', 'Phường Ngọc Hà']],
  ['Hà Nội', 'Quận Hoàn Kiếm', ['Phường Hàng Bạc', 'Phường Tràng Tiền', 'Phường Hàng Trống']],
  ['Hà Nội', 'Quận Cầu Giấy', ['Phường Dịch Vọng', 'Phường Nghĩa Đô', 'Phường Quan Hoa']],
  ['TP. Hồ Chí Minh', 'Quận 1', ['Phường Bến Nghé', 'Phường Bến Thành', 'Phường Đa Kao']],
  ['TP. Hồ Chí Minh', 'Quận 3', ['Phường Võ Thị Sáu', 'Phường 9', 'Phường 14']],
  ['TP. Hồ Chí Minh', 'Quận Bình Thạnh', ['Phường 25', 'Phường 26', 'Phường 15']],
  ['Đà Nẵng', 'Quận Hải Châu', ['Phường Thạch Thang', 'Phường Hải Châu I', 'Phường Phước Ninh']],
  ['Đà Nẵng', 'Quận Sơn Trà', ['Phường An Hải Bắc', 'Phường Mân Thái']],
  ['Cần Thơ', 'Quận Ninh Kiều', ['Phường Tân An', 'Phường An Cư', 'Phường Xuân Khánh']],
  ['Hải Phòng', 'Quận Lê Chân', ['Phường An Biên', 'Phường Cát Dài']],
];
const PRODUCTS: readonly [string, number][] = [
  ['Hạt cho chó trưởng thành 2kg', 289_000],
  ['Pate cho mèo vị cá ngừ', 25_000],
  ['Cát vệ sinh cho mèo 8L', 119_000],
  ['Vòng cổ chống ve rận', 159_000],
  ['Sữa tắm cho thú cưng', 95_000],
];

type Random = () => number;

function pick<T>(random: Random, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)];
}

function digits(random: Random, count: number): string {
  return Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
}

export function fullName(random: Random = Math.random): string {
  return `${pick(random, FAMILY_NAMES)} ${pick(random, MIDDLE_NAMES)} ${pick(random, GIVEN_NAMES)}`;
}

/** A Vietnamese mobile number in E.164, as the gateway stores them: +849 and eight digits. */
export function mobilePhone(random: Random = Math.random): string {
  return `+849${digits(random, 8)}`;
}

/** an.nguyen42@example.vn: the given and family name without diacritics, on a domain reserved for examples. */
export function email(name: string, random: Random = Math.random): string {
  const words = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .split(' ');
  return `${words[words.length - 1]}.${words[0]}${digits(random, 2)}@example.vn`;
}

export function address(random: Random = Math.random) {
  const [province, district, wards] = pick(random, PLACES);
  return {
    street: `${1 + Math.floor(random() * 200)} ${pick(random, STREETS)}`,
    ward: pick(random, wards),
    district,
    province,
  };
}

export function orderItem(random: Random = Math.random) {
  const [name, unitPriceVnd] = pick(random, PRODUCTS);
  return { sku: `PT-${digits(random, 5)}`, name, quantity: 1 + Math.floor(random() * 3), unitPriceVnd };
}

export function orderCode(random: Random = Math.random): string {
  return `PT${digits(random, 6)}`;
}

/** A moment in the last 30 days. */
export function recentDateTime(random: Random = Math.random): string {
  return new Date(Date.now() - Math.floor(random() * 30 * 24 * 3600 * 1000)).toISOString();
}
