import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { AdvisorRole } from '../storage/store';

/**
 * Short-lived bearer tokens for advisors: `base64url(JSON {sub, role, issuedAt, exp}) "." base64url(HMAC-SHA256)`.
 * Stateless, so they cannot be revoked one by one; that is why they live 30 minutes by default and
 * why every request also loads the account (a disabled advisor is refused at once, a changed role
 * counts at once: the role in the token is informational; tokens issued before the account's
 * `tokensValidFrom` are refused, so re-enabling an account does not revive them).
 *
 * The secret is AUTH_SECRET, or a random one generated at start when it is unset: then every token
 * ends with a restart (advisors log in again), which is acceptable for one process.
 */
export interface TokenClaims {
  /** Advisor id. */
  sub: string;
  role: AdvisorRole;
  /** Issued at, milliseconds since the epoch (to tell tokens from before a revocation); absent in older tokens. */
  issuedAt?: number;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export class TokenSigner {
  private readonly key: Buffer;

  constructor(
    secret: string | undefined,
    private readonly ttlMs: number,
  ) {
    this.key = secret ? Buffer.from(secret, 'utf8') : randomBytes(32);
  }

  sign(subject: { id: string; role: AdvisorRole }, now: number = Date.now()): IssuedToken {
    const exp = Math.floor((now + this.ttlMs) / 1000);
    const claims: TokenClaims = { sub: subject.id, role: subject.role, issuedAt: now, exp };
    const payload = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return { token: `${payload}.${this.mac(payload).toString('base64url')}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The claims of a genuine, unexpired token; null for anything else (never throws). */
  verify(token: string, now: number = Date.now()): TokenClaims | null {
    if (token.length > 1024) return null;
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
    const payload = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (!isClaims(claims) || claims.exp * 1000 <= now) return null;
    return claims;
  }

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(payload).digest();
  }
}

function isClaims(value: unknown): value is TokenClaims {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const issuedAtValid = v.issuedAt === undefined || (typeof v.issuedAt === 'number' && Number.isFinite(v.issuedAt));
  return typeof v.sub === 'string' && (v.role === 'advisor' || v.role === 'admin') && typeof v.exp === 'number' && Number.isFinite(v.exp) && issuedAtValid;
}
