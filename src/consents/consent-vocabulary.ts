export const CONSENT_STATUSES = ['GRANTED', 'WITHDRAWN'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** Where the customer said it: proof of consent records the channel (Decree 356/2025). */
export const CONSENT_CHANNELS = ['CHECKOUT', 'ACCOUNT', 'EMAIL_LINK', 'HOTLINE', 'SUPPORT'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];
