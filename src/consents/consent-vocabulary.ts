import type { ConsentTopic } from '../policy';

export const CONSENT_STATUSES = ['GRANTED', 'WITHDRAWN'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/**
 * Where the customer said it: proof of consent records the channel (Decree 356/2025).
 * SYSTEM is the gateway itself (a lapse, inactivity): never a channel a caller may name.
 */
export const CONSENT_CHANNELS = ['CHECKOUT', 'ACCOUNT', 'EMAIL_LINK', 'HOTLINE', 'SUPPORT', 'SYSTEM'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
export const SYSTEM_CHANNEL: ConsentChannel = 'SYSTEM';

/** Why the system, not the person, withdrew a topic. */
export const CONSENT_REASONS = ['INACTIVITY', 'LAPSED', 'OBJECTION'] as const;
export type ConsentReason = (typeof CONSENT_REASONS)[number];

/** How pages and emails name each topic: Vietnamese first, English second. */
export const TOPIC_LABELS: Record<ConsentTopic, { vi: string; en: string }> = {
  PROMOTIONS: { vi: 'email khuyến mãi', en: 'promotional emails' },
  OFFERS: { vi: 'thư chào hàng', en: 'offers and sales letters' },
  PET_CARE_ADVICE: { vi: 'email tư vấn chăm sóc thú cưng', en: 'pet care advice emails' },
  NEWSLETTER: { vi: 'bản tin hằng tháng', en: 'the monthly newsletter' },
  THANK_YOU: { vi: 'thư cảm ơn', en: 'thank-you letters' },
  GREETINGS: { vi: 'email chúc mừng', en: 'greetings emails' },
};
