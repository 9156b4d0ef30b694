import { hashPassword, verifyPassword } from '../../src/advisors/password';

describe('password hashing (scrypt)', () => {
  it('stores scrypt$N$r$p$salt$hash, not the password, and verifies it', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).not.toContain('correct horse battery');
    const [kind, n, r, p, salt, key] = hash.split('$');
    expect([kind, n, r, p]).toEqual(['scrypt', '16384', '8', '1']);
    expect(Buffer.from(salt, 'base64')).toHaveLength(16);
    expect(Buffer.from(key, 'base64').length).toBeGreaterThanOrEqual(32);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
    expect(await verifyPassword('', hash)).toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same password 1')).not.toBe(await hashPassword('same password 1'));
  });

  it('rejects malformed or tampered hashes without throwing', async () => {
    const hash = await hashPassword('some password 12');
    const parts = hash.split('$');
    for (const bad of ['', 'plain', 'bcrypt$x', parts.slice(0, 5).join('$'), ['scrypt', String(1 << 30), ...parts.slice(2)].join('$'), ['scrypt', '1000', ...parts.slice(2)].join('$')]) {
      expect(await verifyPassword('some password 12', bad)).toBe(false);
    }
  });

  it('does not block the event loop while hashing', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await Promise.all([hashPassword('a password 123'), hashPassword('b password 123')]);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });
});
