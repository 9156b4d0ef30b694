import { postJson, startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, caller, quickAdvisor, seedEscalation } from './advisor-helpers';

/**
 * Operator injection (`{ "$gt": "" }` where a string belongs) is refused at the boundary with a 400,
 * on every route that takes client values, and nothing is stored or changed for a refused request.
 * The stores add their own guard (tests/storage/store.contract.ts), which this does not rely on.
 */
describe('operator objects in client values', () => {
  let running: RunningService;
  let call: ReturnType<typeof caller>;
  let adminToken: string;
  let escalationId: string;
  let sessionId: string;
  let sessionToken: string;

  const OPERATORS = [{ $gt: '' }, { $ne: null }, { $regex: '.*' }, { $where: 'sleep(1000)' }];

  beforeAll(async () => {
    running = await startService({ AUTH_SECRET, CHAT_RATE_LIMIT_PER_MINUTE: '0', LOGIN_RATE_LIMIT_PER_MINUTE: '0' });
    call = caller(running.baseUrl);
    adminToken = (await quickAdvisor(running.service.store, 'admin@zemigra.example', 'admin')).token;
    escalationId = (await seedEscalation(running.service.store, 'injection-seeded')).id;
    const first = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' });
    sessionId = first.body.sessionId;
    sessionToken = first.body.sessionToken;
  }, 60_000);
  afterAll(() => running.close());

  const bodies = (op: unknown): Array<[string, string, Record<string, unknown>]> => [
    ['POST', '/api/v1/chat', { text: op }],
    ['POST', '/api/v1/chat', { text: 'Hallo', sessionId: op }],
    ['POST', '/api/v1/chat', { text: 'Hallo', language: op }],
    ['POST', '/api/v1/auth/login', { email: op, password: 'whatever-password' }],
    ['POST', '/api/v1/auth/login', { email: 'admin@zemigra.example', password: op }],
    ['POST', '/api/v1/advisors', { email: op, name: 'X', password: 'a-long-password', role: 'advisor' }],
    ['POST', '/api/v1/advisors', { email: 'new@zemigra.example', name: 'X', password: 'a-long-password', role: op }],
    ['POST', `/api/v1/escalations/${escalationId}/messages`, { text: op }],
    ['POST', `/api/v1/escalations/${escalationId}/notes`, { text: op }],
  ];

  it.each(OPERATORS.map((op) => [JSON.stringify(op), op]))('an operator %s in a JSON field → 400, nothing stored', async (_name, op) => {
    const before = await running.service.store.conversations.listMessages('injection-seeded', 0, 100);
    for (const [method, path, body] of bodies(op)) {
      const res = await call(method, path, { body, token: adminToken });
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(res.body.error.code).toBe('invalid_body');
    }
    expect(await running.service.store.conversations.listMessages('injection-seeded', 0, 100)).toEqual(before);
    expect((await running.service.store.escalations.get(escalationId))?.notes).toEqual([]);
    expect(await running.service.store.advisors.getByEmail('new@zemigra.example')).toBeNull();
  });

  it.each([
    '/api/v1/escalations?status[$ne]=resolved',
    '/api/v1/escalations?status[$regex]=.*',
    '/api/v1/audit?actorId[$ne]=x',
    '/api/v1/audit?limit[$gt]=0',
    '/api/v1/analytics?from[$gt]=2020-01-01',
  ])('an operator in the query string %s → 400', async (path) => {
    const res = await call('GET', path, { token: adminToken });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_query');
  });

  it('an operator in the messages cursor → 400, and the person still sees only their own messages', async () => {
    const res = await call('GET', `/api/v1/chat/${sessionId}/messages?after[$gt]=0`, { token: sessionToken });
    expect(res.status).toBe(400);
    const ok = await call('GET', `/api/v1/chat/${sessionId}/messages`, { token: sessionToken });
    expect(ok.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'bot']);
  });

  it('a path segment that spells an operator is only a string: not found, never a match', async () => {
    expect([400, 404]).toContain((await call('GET', `/api/v1/escalations/${encodeURIComponent('{"$ne":null}')}`, { token: adminToken })).status);
    const res = await call('POST', `/api/v1/escalations/${encodeURIComponent('[$ne]')}/claim`, { token: adminToken });
    expect([400, 404]).toContain(res.status);
    expect((await running.service.store.escalations.get(escalationId))?.status).toBe('queued');
  });
});
