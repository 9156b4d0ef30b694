import fc from 'fast-check';
import { WebSocket } from 'ws';
import { ErrorCatalogue } from '../../src/errors/app-error';
import { connect } from '../helpers/websocket';
import { postJson, startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, quickAdvisor, seedEscalation } from './advisor-helpers';

/**
 * Hostile and malformed input on every route and on the websocket: ≥ 10,000 generated HTTP requests
 * (wrong types, huge strings, deep JSON, invalid UTF-8, operator objects, script tags, path tricks,
 * wrong content types) and a few thousand garbage frames. Only 2xx for valid input and documented 4xx
 * JSON errors are allowed; never a 5xx; the process stays up; nothing is stored for a refused request.
 */
const HTTP_RUNS = 10_000;

describe('fuzzing every route and the websocket', () => {
  let running: RunningService;
  let adminToken: string;
  let escalationId: string;
  let sessionId: string;
  let sessionToken: string;
  /** Conversations the service said it created or used (2xx): the only ones that may be stored. */
  const acknowledgedSessions = new Set<string>();

  beforeAll(async () => {
    running = await startService({ AUTH_SECRET, CHAT_RATE_LIMIT_PER_MINUTE: '0', LOGIN_RATE_LIMIT_PER_MINUTE: '0' });
    adminToken = (await quickAdvisor(running.service.store, 'fuzz-admin@zemigra.example', 'admin')).token;
    escalationId = (await seedEscalation(running.service.store, 'fuzz-seeded-session')).id;
    acknowledgedSessions.add('fuzz-seeded-session');
    const first = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' });
    sessionId = first.body.sessionId;
    sessionToken = first.body.sessionToken;
    acknowledgedSessions.add(sessionId);
  }, 60_000);
  afterAll(() => running.close());

  const ERROR_CODES = new Set(Object.keys(ErrorCatalogue).filter((code) => ErrorCatalogue[code as keyof typeof ErrorCatalogue].status < 500));

  // --- generators -------------------------------------------------------------------------------

  const hostileString = fc.oneof(
    fc.string({ maxLength: 50 }),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "'; DROP TABLE x; --", '../../etc/passwd', '%00', '\u0000', '\uFEFF', '\uD800', '{"$gt":""}', '$where', 'null', 'undefined', '[object Object]', '🙂'.repeat(600)),
    fc.integer({ min: 1, max: 40_000 }).map((n) => 'a'.repeat(n)),
  );
  const operator = fc.constantFrom({ $gt: '' }, { $ne: null }, { $regex: '.*' }, { $where: 'sleep(100)' }, { __proto__: { admin: true } }, { constructor: { prototype: { polluted: true } } });
  const jsonValue: fc.Arbitrary<unknown> = fc.oneof(
    { depthSize: 'small' },
    hostileString,
    operator,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostileString, { maxLength: 5 }),
    fc.dictionary(fc.constantFrom('text', 'sessionId', 'language', 'email', 'password', 'name', 'role', 'disabled', 'status', '__proto__', 'constructor', '$where'), hostileString, { maxKeys: 5 }),
  );
  /** Button payloads with keys every JavaScript object has ("article:__proto__" once hung the turn). */
  const payloadText = fc
    .tuple(fc.constantFrom('article', 'intent', 'profession', 'guide', 'handoff', 'callback', 'feedback'), fc.constantFrom('__proto__', 'constructor', 'prototype', 'tostring', 'valueof', 'hasownproperty', 'foo.bar', 'x'))
    .map(([kind, value]) => `${kind}:${value}`);
  /** Field values of the real schemas, each replaced now and then by something hostile. */
  const plausibleBody = fc.record(
    {
      text: fc.oneof(fc.constant('Wie lange dauert die Anerkennung?'), payloadText, jsonValue),
      // Read when a value is drawn, not when the generator is built (before beforeAll ran).
      sessionId: fc.oneof(fc.constant(null).map(() => sessionId), fc.constant('unknown-session-1234'), jsonValue),
      language: fc.oneof(fc.constantFrom('de', 'ar', 'xx', 'DE'), jsonValue),
      email: fc.oneof(fc.constant('fuzz-admin@zemigra.example'), jsonValue),
      password: jsonValue,
      name: jsonValue,
      role: fc.oneof(fc.constantFrom('advisor', 'admin', 'root'), jsonValue),
      disabled: jsonValue,
      extra: jsonValue,
    },
    { requiredKeys: [] },
  );
  const deepJson = fc.integer({ min: 50, max: 5_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth));
  const body = fc.oneof(
    plausibleBody.map((b) => ({ kind: 'json', payload: JSON.stringify(b) })),
    jsonValue.map((v) => ({ kind: 'json', payload: JSON.stringify(v) ?? 'null' })),
    deepJson.map((payload) => ({ kind: 'json', payload })),
    fc.string({ maxLength: 300 }).map((payload) => ({ kind: 'json', payload })),
    fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => ({ kind: 'bytes', payload: Buffer.from(bytes) })),
    fc.constant({ kind: 'huge', payload: JSON.stringify({ text: 'x'.repeat(70_000) }) }),
    fc.constant({ kind: 'none', payload: undefined }),
  );
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined);
  const pathParam = fc.oneof(
    fc.constantFrom('..', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%00', '%ZZ', 'a'.repeat(300), '{"$ne":null}', '[$ne]', '%7B%22%24gt%22%3A%22%22%7D', '<script>', '%F0%9F'),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
  );
  const query = fc.oneof(
    fc.constant(''),
    fc.constantFrom('?status=queued', '?status[$ne]=x', '?after=-1', '?after=1e99', '?limit=0', '?limit[]=1', '?from=2026-02-30', '?to=not-a-date', '?a=1&a=2', '?%ZZ', '?actorId[$gt]='),
    fc.string({ maxLength: 60 }).map((q) => `?q=${encodeURIComponent(q)}`),
  );

  interface Target {
    method: string;
    path: (param: string) => string;
  }
  const TARGETS: Target[] = [
    { method: 'POST', path: () => '/api/v1/chat' },
    { method: 'GET', path: (p) => `/api/v1/chat/${p}/messages` },
    { method: 'GET', path: () => `/api/v1/chat/${sessionId}/messages` },
    { method: 'GET', path: (p) => `/api/v1/chat/${p}/export` },
    { method: 'DELETE', path: (p) => `/api/v1/chat/${p}` },
    { method: 'POST', path: () => '/api/messages' },
    { method: 'GET', path: () => '/api/v1/languages' },
    { method: 'GET', path: (p) => `/api/v1/locales/${p}` },
    { method: 'POST', path: () => '/api/v1/auth/login' },
    { method: 'GET', path: () => '/api/v1/auth/me' },
    { method: 'GET', path: () => '/api/v1/advisors' },
    { method: 'POST', path: () => '/api/v1/advisors' },
    { method: 'PATCH', path: (p) => `/api/v1/advisors/${p}` },
    { method: 'GET', path: () => '/api/v1/audit' },
    { method: 'GET', path: () => '/api/v1/analytics' },
    { method: 'GET', path: () => '/api/v1/escalations' },
    { method: 'GET', path: (p) => `/api/v1/escalations/${p}` },
    { method: 'POST', path: (p) => `/api/v1/escalations/${p}/claim` },
    { method: 'POST', path: (p) => `/api/v1/escalations/${p}/messages` },
    { method: 'POST', path: () => `/api/v1/escalations/${escalationId}/messages` },
    { method: 'POST', path: () => `/api/v1/escalations/${escalationId}/notes` },
    { method: 'POST', path: (p) => `/api/v1/escalations/${p}/resolve` },
    { method: 'POST', path: (p) => `/api/v1/escalations/${p}/return-to-bot` },
    { method: 'GET', path: (p) => `/api/v1/admin/conversations/${p}/export` },
    { method: 'DELETE', path: (p) => `/api/v1/admin/conversations/${p}` },
    { method: 'GET', path: () => '/metrics' },
    { method: 'GET', path: (p) => `/${p}` },
    { method: 'PUT', path: () => '/api/v1/chat' },
    { method: 'OPTIONS', path: () => '/api/v1/chat' },
  ];
  const authHeader = fc.constantFrom<'admin' | 'session' | 'garbage' | 'none'>('admin', 'session', 'garbage', 'none');

  it(`answers ${HTTP_RUNS} hostile requests on every route with 2xx or a documented 4xx, never a 5xx`, async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TARGETS), pathParam, query, body, contentType, authHeader, async (target, param, q, b, type, auth) => {
        const headers: Record<string, string> = {};
        if (type && b.kind !== 'none') headers['content-type'] = type;
        if (auth === 'admin') headers.authorization = `Bearer ${adminToken}`;
        if (auth === 'session') headers.authorization = `Bearer ${sessionToken}`;
        if (auth === 'garbage') headers.authorization = 'Bearer x.y';
        const withBody = target.method !== 'GET' && target.method !== 'OPTIONS' && b.kind !== 'none';
        const response = await fetch(`${running.baseUrl}${target.path(param)}${q}`, { method: target.method, headers, body: withBody ? b.payload : undefined });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        expect({ route: `${target.method} ${target.path(':p')}`, status: response.status < 500 }).toEqual({ route: `${target.method} ${target.path(':p')}`, status: true });
        if (response.status >= 400) {
          const parsed = JSON.parse(text) as { error?: { code?: string } };
          expect(ERROR_CODES.has(parsed.error?.code ?? '')).toBe(true);
        } else if (target.method === 'POST' && target.path('') === '/api/v1/chat' && response.status === 200) {
          acknowledgedSessions.add((JSON.parse(text) as { sessionId: string }).sessionId);
        }
      }),
      { numRuns: HTTP_RUNS, seed: 20261130 },
    );
    // The generators must reach both sides: accepted requests and refusals of several kinds.
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(5);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  }, 300_000);

  it('stored nothing for refused requests: every conversation in the store was acknowledged', async () => {
    const stored: string[] = [];
    for await (const { conversation } of running.service.store.conversations.scan('1970-01-01T00:00:00.000Z', '9999-12-31T23:59:59.999Z')) stored.push(conversation.id);
    expect(stored.filter((id) => !acknowledgedSessions.has(id))).toEqual([]);
    const advisors = (await running.service.store.advisors.list()).map((a) => a.email);
    // No account from a fuzzed body: every account here was made by the test itself.
    expect(advisors.every((email) => email === 'fuzz-admin@zemigra.example' || /^[^\s<>]+@[^\s<>]+\.[a-z]+$/.test(email))).toBe(true);
  });

  it('survives garbage, oversize and flooding websocket frames, and keeps serving other clients', async () => {
    const wsUrl = running.baseUrl.replace('http', 'ws');
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.string({ maxLength: 200 }),
            jsonValue.map((v) => JSON.stringify({ type: 'message', text: v, user: v, channel: 'websocket' })),
            fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
            deepJson,
            fc.constant('x'.repeat(20_000)),
          ),
          { minLength: 1, maxLength: 40 },
        ),
        async (frames) => {
          const socket = new WebSocket(wsUrl);
          await new Promise<void>((resolve, reject) => {
            socket.once('open', () => resolve());
            socket.once('error', reject);
          });
          const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
          socket.on('error', () => undefined);
          for (const frame of frames) if (socket.readyState === WebSocket.OPEN) socket.send(frame);
          socket.close();
          await closed;
        },
      ),
      { numRuns: 150, seed: 20261130 },
    );
    const client = await connect(wsUrl);
    try {
      client.ws.send(JSON.stringify({ type: 'message', text: 'Hallo', user: 'after-the-fuzz-1234', channel: 'websocket' }));
      const reply = await client.next((m) => m.type === 'message');
      expect(typeof reply.text).toBe('string');
    } finally {
      client.ws.close();
    }
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  }, 300_000);
});
