import type { DenialReason } from './vocabulary';

/** A refusal with its reason, as every decision of the policy returns it. Internal to src/policy. */
export function deny(reason: DenialReason): { allowed: false; reason: DenialReason } {
  return { allowed: false, reason };
}
