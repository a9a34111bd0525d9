import type { TrustAnchors } from '../domain/signatures/trust';

/**
 * What the signatures people attach are verified against: the qualified services of the
 * trusted lists (kept, old ones too, for validation at the signing time), the pl.ID anchors
 * of the personal signature and the installation's own CAs.
 */
export interface TrustStore {
  anchors(): Promise<TrustAnchors>;
}
