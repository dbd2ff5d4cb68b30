import type { SearchArgument } from '../policy';
import { nameWords, normalizeEmail, normalizeVietnamesePhone } from './contact';

export const SEARCH_ARGUMENT: SearchArgument = 'Query.customers.search';

/**
 * What a search term is compared with. Contact fields match only by their whole
 * normalised value, so a search can never be used to learn a value piece by piece;
 * names match by whole words.
 */
export type SearchTerm =
  | { field: 'Customer.email'; email: string }
  | { field: 'Customer.phone'; phone: string }
  | { field: 'Customer.fullName'; words: string[] };

const MIN_WORD_LENGTH = 2;
const MAX_WORDS = 6;
/** What people type into a phone number besides its digits. */
const PHONE_LIKE = /^[+\d\s.\-()]+$/;

/** The term a search string stands for, or why it cannot be one. */
export function searchTermOf(raw: string): SearchTerm | { problem: string } {
  const text = raw.trim();
  if (text.includes('@')) return { field: 'Customer.email', email: normalizeEmail(text) };
  if (PHONE_LIKE.test(text)) {
    const phone = normalizeVietnamesePhone(text);
    return phone === null
      ? { problem: 'a phone number matches only whole, e.g. 0912 345 678 or +84912345678' }
      : { field: 'Customer.phone', phone };
  }
  const words = nameWords(text);
  if (words.length === 0 || words.some((word) => word.length < MIN_WORD_LENGTH)) {
    return { problem: `names match by whole words of at least ${MIN_WORD_LENGTH} characters` };
  }
  if (words.length > MAX_WORDS) return { problem: `at most ${MAX_WORDS} words` };
  return { field: 'Customer.fullName', words };
}
