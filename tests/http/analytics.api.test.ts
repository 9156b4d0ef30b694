import { TokenSigner } from '../../src/advisors/tokens';
import { postJson, startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, caller, quickAdvisor, seedEscalation } from './advisor-helpers';

describe('GET /api/v1/analytics over HTTP', () => {
  let running: RunningService;
  let call: ReturnType<typeof caller>;
  let adminToken: string;
  let advisorToken: string;

  beforeAll(async () => {
    running = await startService({ AUTH_SECRET, CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    call = caller(running.baseUrl);
    const store = running.service.store;
    adminToken = (await quickAdvisor(store, 'admin@zemigra.example', 'admin')).token;
    const advisor = await quickAdvisor(store, 'advisor@zemigra.example');
    advisorToken = advisor.token;

    // Two Ukrainian conversations whose bot could not answer the same question, one escalation claimed.
    const question = 'Як визнати мій диплом медсестри?';
    const first = await seedEscalation(store, 'analytics-uk-1', { texts: [question, 'Не знаю.'] });
    await seedEscalation(store, 'analytics-uk-2', { texts: [question, 'Не знаю.'] });
    for (const id of ['analytics-uk-1', 'analytics-uk-2']) {
      await store.conversations.appendMessage(id, { role: 'user', text: `${question}  Мій телефон +380 67 123 4567`, language: 'uk' });
      await store.conversations.appendMessage(id, { role: 'bot', text: 'Не знаю.', language: 'uk', unanswered: true });
    }
    await store.escalations.claim(first.id, advisor.advisor.id);
  });
  afterAll(() => running.close());

  it('answers 401 without a valid token, before looking at the query', async () => {
    const tokens: Record<string, string>[] = [{}, { authorization: 'Bearer nonsense' }, { authorization: `Bearer ${new TokenSigner('another-secret-for-advisor-tokens-000000', 60_000).sign({ id: 'x', role: 'admin' }).token}` }];
    for (const headers of tokens) {
      const res = await call('GET', '/api/v1/analytics?from=nonsense', { headers });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
    }
  });

  it('answers 403 to an advisor', async () => {
    const res = await call('GET', '/api/v1/analytics', { token: advisorToken });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'forbidden', message: expect.any(String) } });
  });

  it.each([
    ['from=2026-1-01', 'not YYYY-MM-DD'],
    ['from=2026-02-30', 'no such day'],
    ['to=2026-11-25T10:00:00Z', 'a timestamp, not a date'],
    ['from=2026-11-02&to=2026-11-01', 'from after to'],
    ['from=2026-11-01&from=2026-11-02', 'given twice'],
    ['since=2026-11-01', 'unknown parameter'],
  ])('answers 400 for %s (%s)', async (query) => {
    const res = await call('GET', `/api/v1/analytics?${query}`, { token: adminToken });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.objectContaining({ code: 'invalid_query', message: expect.any(String) }) });
  });

  it('reports the last 30 days for an admin, per language, with the redacted top question', async () => {
    const res = await call('GET', '/api/v1/analytics', { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const to = Date.parse(res.body.to);
    expect(Math.abs(to - Date.now())).toBeLessThan(60_000);
    expect(res.body.from).toMatch(/T00:00:00\.000Z$/);
    expect(to - Date.parse(res.body.from)).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(to - Date.parse(res.body.from)).toBeLessThan(31 * 86_400_000);

    const uk = {
      conversations: 2,
      userMessages: 4,
      fallbacks: 2,
      fallbackRate: 0.5,
      escalations: 2,
      escalationRate: 1,
      medianTimeToClaimSeconds: expect.any(Number),
    };
    expect(res.body).toEqual({
      from: expect.any(String),
      to: expect.any(String),
      overall: uk,
      perLanguage: { uk },
      topUnanswered: [{ text: 'як визнати мій диплом медсестри? мій телефон [number]', count: 2, language: 'uk' }],
    });
    expect(JSON.stringify(res.body)).not.toContain('4567');
  });

  it('counts conversations from the chat route and filters by the given days', async () => {
    const chat = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'How do I get my nursing diploma recognised?', language: 'en' });
    expect(chat.status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    const res = await call('GET', `/api/v1/analytics?from=${today}&to=${today}`, { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe(`${today}T00:00:00.000Z`);
    expect(res.body.to).toBe(`${today}T23:59:59.999Z`);
    expect(res.body.perLanguage.en).toMatchObject({ conversations: 1, userMessages: 1 });

    const past = await call('GET', '/api/v1/analytics?from=2020-01-01&to=2020-01-31', { token: adminToken });
    expect(past.status).toBe(200);
    expect(past.body).toEqual({
      from: '2020-01-01T00:00:00.000Z',
      to: '2020-01-31T23:59:59.999Z',
      overall: { conversations: 0, userMessages: 0, fallbacks: 0, fallbackRate: null, escalations: 0, escalationRate: null, medianTimeToClaimSeconds: null },
      perLanguage: {},
      topUnanswered: [],
    });
  });
});
