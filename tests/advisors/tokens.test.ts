import { TokenSigner } from '../../src/advisors/tokens';

const SECRET = 'x'.repeat(40);
const subject = { id: 'advisor-1', role: 'advisor' as const };

describe('advisor tokens', () => {
  const signer = new TokenSigner(SECRET, 30 * 60_000);

  it('signs {sub, role, exp} and verifies it until it expires', () => {
    const now = Date.parse('2026-11-25T10:00:00Z');
    const { token, expiresAt } = signer.sign(subject, now);
    expect(expiresAt).toBe('2026-11-25T10:30:00.000Z');
    expect(signer.verify(token, now)).toEqual({ sub: 'advisor-1', role: 'advisor', issuedAt: now, exp: now / 1000 + 1800 });
    expect(signer.verify(token, now + 29 * 60_000)).not.toBeNull();
    expect(signer.verify(token, now + 30 * 60_000)).toBeNull();
  });

  it('refuses tampered tokens, other keys and garbage', () => {
    const { token } = signer.sign(subject);
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'advisor-1', role: 'admin', exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url');
    expect(signer.verify(`${forged}.${mac}`)).toBeNull();
    expect(signer.verify(`${payload}.${mac.slice(0, -2)}AA`)).toBeNull();
    expect(new TokenSigner('y'.repeat(40), 60_000).verify(token)).toBeNull();
    for (const junk of ['', '.', 'a.b', `${payload}`, `${payload}.${mac}.x`, 'x'.repeat(5000)]) expect(signer.verify(junk)).toBeNull();
  });

  it('uses a random key per instance when no secret is configured (tokens end with a restart)', () => {
    const a = new TokenSigner(undefined, 60_000);
    const b = new TokenSigner(undefined, 60_000);
    const { token } = a.sign(subject);
    expect(a.verify(token)).not.toBeNull();
    expect(b.verify(token)).toBeNull();
  });
});
