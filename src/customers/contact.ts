import { registerDecorator, type ValidationOptions } from 'class-validator';

const VIETNAMESE_NUMBER = /^\+84(?:[35789]\d{8}|2\d{9})$/;

/**
 * A Vietnamese phone number in E.164 (+84…), or null when the text is not one.
 * Accepts what people type: `0912 345 678`, `0912.345.678`, `+84 912-345-678`,
 * `84912345678`; landlines keep their 02x area code (`024 3826 4321`).
 */
export function normalizeVietnamesePhone(raw: string): string | null {
  const compact = raw.trim().replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) return null;
  let national: string;
  if (compact.startsWith('+84')) national = compact.slice(3);
  else if (compact.startsWith('84') && compact.length >= 11) national = compact.slice(2);
  else if (compact.startsWith('0')) national = compact.slice(1);
  else return null;
  const e164 = `+84${national}`;
  return VIETNAMESE_NUMBER.test(e164) ? e164 : null;
}

/**
 * The words of a name as a search compares them: lower-case, without Vietnamese
 * diacritics (đ is d), split at anything that is not a letter or digit. "Nguyễn Thị
 * Lan" and "nguyen thi lan" have the same words.
 */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * The form an email is stored and compared in: composed (NFC), so that one typed in
 * decomposed form, as macOS sends it, is the same email.
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase().normalize('NFC');
}

/**
 * The form a person's name is stored in: composed (NFC) like an email, and doubled,
 * leading or no-break spaces make no different name.
 */
export function normalizeName(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function IsVietnamesePhone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isVietnamesePhone',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'must be a Vietnamese phone number, e.g. 0912 345 678 or +84912345678', ...options },
      validator: {
        validate: (value: unknown) => typeof value === 'string' && normalizeVietnamesePhone(value) !== null,
      },
    });
}
