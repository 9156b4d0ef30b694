import { postJson, startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, caller, quickAdvisor } from './advisor-helpers';

const PARTNER = 'https://partner.example';
const METRICS_TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const ADMIN = { email: 'admin@zemigra.example', password: 'a-long-admin-password' };

describe('security: headers, CORS, rate limits, lock-out, metrics', () => {
  let running: RunningService;
  let call: ReturnType<typeof caller>;
  let ipCounter = 0;
  /** Each login from its own IP (trusted X-Forwarded-For), so the per-IP limit is not what answers. */
  const fromNewIp = () => ({ 'x-forwarded-for': `198.51.100.${++ipCounter}` });

  beforeAll(async () => {
    running = await startService({
      AUTH_SECRET,
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      CORS_ORIGINS: PARTNER,
      METRICS_TOKEN,
      TRUST_PROXY_HOPS: '1',
      // The production defaults, which the test helper otherwise switches off.
      SESSION_RATE_LIMIT_PER_MINUTE: '30',
      ADVISOR_RATE_LIMIT_PER_MINUTE: '300',
      LOGIN_LOCKOUT_FAILURES: '5',
      LOGIN_RATE_LIMIT_PER_MINUTE: '0',
      CHAT_RATE_LIMIT_PER_MINUTE: '0',
    });
    call = caller(running.baseUrl);
  }, 60_000);
  afterAll(() => running.close());

  it('sends helmet headers and a same-origin CSP on pages and API responses', async () => {
    for (const path of ['/', '/api/v1/languages', '/no-such-page']) {
      const res = await fetch(`${running.baseUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
    const console = await fetch(`${running.baseUrl}/advisor/`);
    expect(console.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('allows the configured origin on the public chat API only', async () => {
    const preflight = (path: string, origin: string) =>
      fetch(`${running.baseUrl}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const allowed = await preflight('/api/v1/chat', PARTNER);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PARTNER);
    expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight('/api/v1/chat', 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await preflight('/api/v1/escalations', PARTNER)).headers.get('access-control-allow-origin')).toBeNull();
    const chat = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' }, { origin: PARTNER });
    expect(chat.headers.get('access-control-allow-origin')).toBe(PARTNER);
  });

  it('limits messages per session (429 with Retry-After) without touching other sessions', async () => {
    const first = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Danke', sessionId: first.body.sessionId })).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Danke', sessionId: first.body.sessionId });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' })).status).toBe(200);
  });

  it('locks an account after 5 failed logins in a row, also against the right password, and audits it; an admin can lift it', async () => {
    const lockedAccount = await quickAdvisor(running.service.store, 'locked@zemigra.example');
    const login = (email: string, password: string) => call('POST', '/api/v1/auth/login', { body: { email, password }, headers: fromNewIp() });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login('locked@zemigra.example', `wrong-guess-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const right = await login(ADMIN.email, ADMIN.password);
    expect(right.status).toBe(200);
    const locked = await login('locked@zemigra.example', 'wrong-guess-again');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    // An unknown email locks the same way, so the lock-out does not tell which accounts exist.
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) unknown.push((await login('nobody@zemigra.example', `wrong-guess-${i}`)).status);
    expect(unknown).toEqual([401, 401, 401, 401, 429]);
    const audit = await call('GET', '/api/v1/audit?limit=50', { token: right.body.token });
    expect(audit.body.entries.filter((e: { action: string }) => e.action === 'login.locked')).toHaveLength(2);

    // Anyone who knows the address can cause a lock: an admin lifts it (audited), and logins are judged again.
    const unlocked = await call('PATCH', `/api/v1/advisors/${lockedAccount.advisor.id}`, { token: right.body.token, body: { unlock: true } });
    expect(unlocked.status).toBe(200);
    expect((await login('locked@zemigra.example', 'wrong-guess-after')).status).toBe(401);
    const after = await call('GET', '/api/v1/audit?limit=50', { token: right.body.token });
    expect(after.body.entries.filter((e: { action: string; target?: string }) => e.action === 'login.unlock' && e.target === lockedAccount.advisor.id)).toHaveLength(1);
    expect((await call('PATCH', `/api/v1/advisors/${lockedAccount.advisor.id}`, { token: right.body.token, body: { unlock: false } })).status).toBe(400);
  });

  it('serves Prometheus metrics to the scraper token and admins only, with labels and no personal data', async () => {
    await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Wie viel kostet die Anerkennung meines Diploms?' });
    expect((await call('GET', '/metrics')).status).toBe(401);
    const advisor = await quickAdvisor(running.service.store, 'metrics-advisor@zemigra.example');
    expect((await call('GET', '/metrics', { token: advisor.token })).status).toBe(403);
    expect((await call('GET', '/metrics', { headers: { authorization: 'Bearer not-the-metrics-token-but-long-enough' } })).status).toBe(401);
    const admin = await quickAdvisor(running.service.store, 'metrics-admin@zemigra.example', 'admin');
    expect((await call('GET', '/metrics', { token: admin.token })).status).toBe(200);

    const scraped = await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(scraped.headers.get('content-type')).toContain('text/plain');
    const text = await scraped.text();
    expect(text).toMatch(/zemigra_http_requests_total\{method="POST",route="\/api\/v1\/chat",status="200"\} \d+/);
    expect(text).toMatch(/zemigra_intents_total\{intent="recognition\.costs",language="de"\} [1-9]/);
    expect(text).toContain('zemigra_escalation_queue_length 0');
    expect(text).toContain('zemigra_http_request_duration_seconds_bucket');
    expect(text).toContain('zemigra_process_resident_memory_bytes');
    expect(text).not.toContain('Diploms');
    expect(text).not.toMatch(/sessionId|session_id/);
  });
});

describe('rate limit on the advisor API', () => {
  it('answers 429 per advisor account once its per-minute budget is used', async () => {
    const running = await startService({ AUTH_SECRET, ADVISOR_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const call = caller(running.baseUrl);
      const advisor = await quickAdvisor(running.service.store, 'busy@zemigra.example');
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await call('GET', '/api/v1/escalations?status=queued', { token: advisor.token })).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await running.close();
    }
  });
});
