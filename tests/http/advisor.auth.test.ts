import { TokenSigner } from '../../src/advisors/tokens';
import { postJson, startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, caller, quickAdvisor, seedEscalation, signer } from './advisor-helpers';

const ADMIN = { email: 'Admin@Zemigra.example', password: 'first-admin-password' };

describe('advisor authentication and accounts over HTTP', () => {
  let running: RunningService;
  let call: ReturnType<typeof caller>;
  let adminToken: string;
  let ipCounter = 0;
  /** Every login from its own client IP (trusted X-Forwarded-For), so only the tests about limits hit them. */
  const freshIp = () => ({ 'x-forwarded-for': `203.0.113.${++ipCounter}` });
  const login = (email: string, password: string, headers = freshIp()) => call('POST', '/api/v1/auth/login', { body: { email, password }, headers });

  beforeAll(async () => {
    running = await startService({
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      AUTH_SECRET,
      ADVISOR_TOKEN_TTL_MINUTES: '15',
      LOGIN_RATE_LIMIT_PER_MINUTE: '5',
      TRUST_PROXY_HOPS: '1',
      CHAT_RATE_LIMIT_PER_MINUTE: '0',
    });
    call = caller(running.baseUrl);
    const res = await login(ADMIN.email.toLowerCase(), ADMIN.password);
    expect(res.status).toBe(200);
    adminToken = res.body.token;
  });
  afterAll(() => running.close());

  describe('login', () => {
    it('creates the first admin from ADMIN_EMAIL/ADMIN_PASSWORD and logs in with a 15-minute token', async () => {
      const before = Date.now();
      const res = await login(ADMIN.email, ADMIN.password);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ token: expect.any(String), expiresAt: expect.any(String), advisor: { id: expect.any(String), name: 'Admin', role: 'admin' } });
      const lifetime = Date.parse(res.body.expiresAt) - before;
      expect(lifetime).toBeGreaterThan(14 * 60_000);
      expect(lifetime).toBeLessThanOrEqual(15 * 60_000 + 1000);
      const me = await call('GET', '/api/v1/auth/me', { token: res.body.token });
      expect(me.body).toEqual({ advisor: { id: res.body.advisor.id, email: 'admin@zemigra.example', name: 'Admin', role: 'admin' } });
    });

    it('answers 401 with the same message for an unknown email and a wrong password', async () => {
      const unknown = await login('nobody@zemigra.example', ADMIN.password);
      const wrong = await login(ADMIN.email, 'wrong-password-123');
      expect(unknown.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(unknown.body).toEqual(wrong.body);
      expect(wrong.body.error.code).toBe('invalid_credentials');
      expect(JSON.stringify(wrong.body)).not.toMatch(/admin@|exist/i);
    });

    it('answers 400 for an invalid body and 415 for a body that is not JSON', async () => {
      expect((await call('POST', '/api/v1/auth/login', { body: { email: 'x' }, headers: freshIp() })).status).toBe(400);
      expect((await call('POST', '/api/v1/auth/login', { body: { email: ADMIN.email, password: ADMIN.password, role: 'admin' }, headers: freshIp() })).status).toBe(400);
      const form = await fetch(`${running.baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'text/plain', ...freshIp() }, body: 'email=a' });
      expect(form.status).toBe(415);
    });

    it('limits attempts per email (from many IPs) and per IP (for many emails)', async () => {
      const target = 'target@zemigra.example';
      const perEmail = [];
      for (let i = 0; i < 6; i++) perEmail.push((await login(target, 'guess-number-' + i)).status);
      expect(perEmail).toEqual([401, 401, 401, 401, 401, 429]);

      const ip = freshIp();
      const perIp = [];
      for (let i = 0; i < 6; i++) perIp.push((await login(`user${i}@zemigra.example`, 'guess-password', ip)).status);
      expect(perIp).toEqual([401, 401, 401, 401, 401, 429]);
      const limited = await login('other@zemigra.example', 'guess-password', ip);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    });
  });

  describe('every advisor route rejects missing, bad, expired and foreign tokens (401) and the wrong role (403)', () => {
    let escalationId: string;
    let advisorId: string;
    let advisorToken: string;
    let disabledToken: string;
    let sessionToken: string;

    const routes: Array<{ method: string; path: string; body?: unknown; roles: Array<'advisor' | 'admin'> }> = [
      { method: 'GET', path: '/api/v1/auth/me', roles: ['advisor', 'admin'] },
      { method: 'GET', path: '/api/v1/advisors', roles: ['admin'] },
      { method: 'POST', path: '/api/v1/advisors', body: { email: 'new@zemigra.example', name: 'New', password: 'a-long-password', role: 'advisor' }, roles: ['admin'] },
      { method: 'PATCH', path: '/api/v1/advisors/:advisorId', body: { disabled: true }, roles: ['admin'] },
      { method: 'GET', path: '/api/v1/audit', roles: ['admin'] },
      { method: 'GET', path: '/api/v1/escalations?status=queued', roles: ['advisor', 'admin'] },
      { method: 'GET', path: '/api/v1/escalations/:id', roles: ['advisor', 'admin'] },
      { method: 'POST', path: '/api/v1/escalations/:id/claim', roles: ['advisor', 'admin'] },
      { method: 'POST', path: '/api/v1/escalations/:id/messages', body: { text: 'hello' }, roles: ['advisor', 'admin'] },
      { method: 'POST', path: '/api/v1/escalations/:id/notes', body: { text: 'note' }, roles: ['advisor', 'admin'] },
      { method: 'POST', path: '/api/v1/escalations/:id/resolve', roles: ['advisor', 'admin'] },
      { method: 'POST', path: '/api/v1/escalations/:id/return-to-bot', roles: ['advisor', 'admin'] },
      { method: 'GET', path: '/api/v1/advisor/events', roles: ['advisor', 'admin'] },
      { method: 'GET', path: '/api/v1/analytics', roles: ['admin'] },
      { method: 'GET', path: '/api/v1/admin/conversations/:sessionId/export', roles: ['admin'] },
      { method: 'DELETE', path: '/api/v1/admin/conversations/:sessionId', roles: ['admin'] },
    ];

    beforeAll(async () => {
      const store = running.service.store;
      escalationId = (await seedEscalation(store, 'table-conversation')).id;
      const advisor = await quickAdvisor(store, 'table-advisor@zemigra.example');
      advisorId = advisor.advisor.id;
      advisorToken = advisor.token;
      const disabled = await quickAdvisor(store, 'table-disabled@zemigra.example', 'admin');
      await store.advisors.update(disabled.advisor.id, { disabled: true });
      disabledToken = disabled.token;
      sessionToken = (await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' })).body.sessionToken;
    });

    const badCredentials: Array<[string, () => Record<string, string>]> = [
      ['no token', () => ({})],
      ['not a bearer token', () => ({ authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` })],
      ['garbage token', () => ({ authorization: 'Bearer not-a-token' })],
      ['token signed with another key', () => ({ authorization: `Bearer ${new TokenSigner('another-secret-another-secret-1234', 60_000).sign({ id: advisorId, role: 'admin' }).token}` })],
      ['tampered role', () => ({ authorization: `Bearer ${tamperRole(advisorToken)}` })],
      ['expired token', () => ({ authorization: `Bearer ${signer.sign({ id: advisorId, role: 'admin' }, Date.now() - 31 * 60_000).token}` })],
      ['token of an unknown account', () => ({ authorization: `Bearer ${signer.sign({ id: 'ghost', role: 'admin' }).token}` })],
      ['token of a disabled account', () => ({ authorization: `Bearer ${disabledToken}` })],
      ["a person's session token", () => ({ authorization: `Bearer ${sessionToken}` })],
    ];

    const url = (template: string) => template.replace(':advisorId', advisorId).replace(':id', escalationId).replace(':sessionId', 'table-conversation');

    for (const r of routes) {
      it.each(badCredentials)(`${r.method} ${r.path}: %s → 401`, async (_name, headers) => {
        const res = await call(r.method, url(r.path), { body: r.body, headers: headers() });
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('unauthorized');
      });
      if (!r.roles.includes('advisor')) {
        it(`${r.method} ${r.path}: advisor role → 403`, async () => {
          const res = await call(r.method, url(r.path), { body: r.body, token: advisorToken });
          expect(res.status).toBe(403);
          expect(res.body.error.code).toBe('forbidden');
        });
      }
    }

    it('changed nothing while rejecting', async () => {
      const store = running.service.store;
      expect((await store.escalations.get(escalationId))?.status).toBe('queued');
      expect((await store.escalations.get(escalationId))?.notes).toEqual([]);
      expect((await store.advisors.get(advisorId))?.disabled).toBe(false);
      expect(await store.advisors.getByEmail('new@zemigra.example')).toBeNull();
      expect((await store.conversations.listMessages('table-conversation', 0, 50)).map((m) => m.role)).toEqual(['user', 'bot']);
      expect((await store.audit.list({ limit: 1000 })).filter((e) => e.action.startsWith('conversation.'))).toEqual([]);
    });

    it('an unknown path under a protected prefix is 401 before 404', async () => {
      expect((await call('GET', '/api/v1/escalations/x/y/z')).status).toBe(401);
      expect((await call('GET', '/api/v1/escalations/x/y/z', { token: advisorToken })).status).toBe(404);
    });
  });

  describe('admin: advisor accounts', () => {
    it('creates, lists and updates advisors; never returns a password hash', async () => {
      const created = await call('POST', '/api/v1/advisors', { token: adminToken, body: { email: 'Olena@Zemigra.example', name: 'Olena K.', password: 'olena-password-1', role: 'advisor' } });
      expect(created.status).toBe(201);
      expect(created.body.advisor).toEqual({ id: expect.any(String), email: 'olena@zemigra.example', name: 'Olena K.', role: 'advisor', disabled: false, createdAt: expect.any(String) });
      const list = await call('GET', '/api/v1/advisors', { token: adminToken });
      expect(list.body.advisors.map((a: { email: string }) => a.email)).toContain('olena@zemigra.example');
      const patched = await call('PATCH', `/api/v1/advisors/${created.body.advisor.id}`, { token: adminToken, body: { name: 'Olena Kovalenko', role: 'admin' } });
      expect(patched.body.advisor).toMatchObject({ name: 'Olena Kovalenko', role: 'admin' });
      for (const body of [created.body, list.body, patched.body]) expect(JSON.stringify(body)).not.toMatch(/passwordHash|scrypt|olena-password/);

      const asOlena = await login('olena@zemigra.example', 'olena-password-1');
      expect(asOlena.body.advisor.role).toBe('admin');
    });

    it('refuses duplicates (409), short passwords and unknown fields (400), unknown ids (404)', async () => {
      const body = { email: 'dup@zemigra.example', name: 'Dup', password: 'dup-password-12', role: 'advisor' };
      expect((await call('POST', '/api/v1/advisors', { token: adminToken, body })).status).toBe(201);
      const duplicate = await call('POST', '/api/v1/advisors', { token: adminToken, body: { ...body, email: 'DUP@zemigra.example' } });
      expect(duplicate.status).toBe(409);
      expect(duplicate.body.error.code).toBe('conflict');
      expect((await call('POST', '/api/v1/advisors', { token: adminToken, body: { ...body, email: 'short@zemigra.example', password: 'elevenchars' } })).status).toBe(400);
      expect((await call('POST', '/api/v1/advisors', { token: adminToken, body: { ...body, email: 'x@zemigra.example', passwordHash: 'x' } })).status).toBe(400);
      expect((await call('POST', '/api/v1/advisors', { token: adminToken, body: { ...body, email: 'y@zemigra.example', role: 'root' } })).status).toBe(400);
      expect((await call('PATCH', '/api/v1/advisors/00000000-0000-0000-0000-000000000000', { token: adminToken, body: { disabled: true } })).status).toBe(404);
      expect((await call('PATCH', '/api/v1/advisors/whatever', { token: adminToken, body: {} })).status).toBe(400);
    });

    it("stops a disabled advisor's token at once and refuses their login; enabling lets them log in again, not their old token", async () => {
      const created = await call('POST', '/api/v1/advisors', { token: adminToken, body: { email: 'leaver@zemigra.example', name: 'Leaver', password: 'leaver-password', role: 'advisor' } });
      const session = await login('leaver@zemigra.example', 'leaver-password');
      expect((await call('GET', '/api/v1/escalations', { token: session.body.token })).status).toBe(200);

      expect((await call('PATCH', `/api/v1/advisors/${created.body.advisor.id}`, { token: adminToken, body: { disabled: true } })).body.advisor.disabled).toBe(true);
      expect((await call('GET', '/api/v1/escalations', { token: session.body.token })).status).toBe(401);
      expect((await call('GET', '/api/v1/auth/me', { token: session.body.token })).status).toBe(401);
      const refused = await login('leaver@zemigra.example', 'leaver-password');
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('invalid_credentials');

      await call('PATCH', `/api/v1/advisors/${created.body.advisor.id}`, { token: adminToken, body: { disabled: false } });
      expect((await call('GET', '/api/v1/auth/me', { token: session.body.token })).status).toBe(401);
      const again = await login('leaver@zemigra.example', 'leaver-password');
      expect((await call('GET', '/api/v1/auth/me', { token: again.body.token })).status).toBe(200);
    });

    it('keeps at least one enabled admin', async () => {
      const store = running.service.store;
      const admins = (await store.advisors.list()).filter((a) => a.role === 'admin' && !a.disabled);
      const me = (await call('GET', '/api/v1/auth/me', { token: adminToken })).body.advisor;
      // Demote every other admin first, through the store (not audited; the API path is tested above).
      for (const a of admins) if (a.id !== me.id) await store.advisors.update(a.id, { role: 'advisor' });
      const self = await call('PATCH', `/api/v1/advisors/${me.id}`, { token: adminToken, body: { disabled: true } });
      expect(self.status).toBe(409);
      expect((await call('PATCH', `/api/v1/advisors/${me.id}`, { token: adminToken, body: { role: 'advisor' } })).status).toBe(409);
      for (const a of admins) if (a.id !== me.id) await store.advisors.update(a.id, { role: 'admin' });
    });

    it('writes audit entries for logins, account changes, without passwords or emails of failed logins', async () => {
      const audit = await call('GET', '/api/v1/audit?limit=1000', { token: adminToken });
      expect(audit.status).toBe(200);
      const actions = new Set(audit.body.entries.map((e: { action: string }) => e.action));
      for (const action of ['login.success', 'login.failure', 'advisor.create', 'advisor.update', 'advisor.disable', 'advisor.enable']) expect(actions).toContain(action);
      const text = JSON.stringify(audit.body);
      for (const secret of [ADMIN.password, 'olena-password-1', 'leaver-password', 'wrong-password-123', 'guess-number', 'nobody@zemigra.example', 'target@zemigra.example', 'scrypt$']) {
        expect(text).not.toContain(secret);
      }
      const firstAdmin = audit.body.entries.find((e: { action: string; actorId: string }) => e.action === 'advisor.create' && e.actorId === 'system');
      expect(firstAdmin).toBeDefined();
      const mine = await call('GET', `/api/v1/audit?actorId=${firstAdmin.target}&limit=5`, { token: adminToken });
      expect(mine.body.entries.length).toBeGreaterThan(0);
      expect(mine.body.entries.every((e: { actorId: string }) => e.actorId === firstAdmin.target)).toBe(true);
      expect((await call('GET', '/api/v1/audit?limit=abc', { token: adminToken })).status).toBe(400);
    });
  });
});

/** Same signature, payload changed to claim the admin role. */
function tamperRole(token: string): string {
  const [payload, mac] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  return `${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${mac}`;
}
