import { postJson, startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, caller, quickAdvisor, seedEscalation } from './advisor-helpers';

describe('escalation routes over HTTP', () => {
  let running: RunningService;
  let call: ReturnType<typeof caller>;
  const pushed: unknown[][] = [];
  let admin: { token: string; advisor: { id: string } };

  beforeAll(async () => {
    running = await startService(
      { AUTH_SECRET, CHAT_RATE_LIMIT_PER_MINUTE: '0' },
      {
        personDelivery: () => ({
          deliver: async (...args) => void pushed.push(['deliver', ...args]),
          takenOver: async (conversationId, language, escalation) => void pushed.push(['takenOver', conversationId, language, escalation.status]),
          handBack: async (...args) => void pushed.push(['handBack', ...args]),
        }),
      },
    );
    call = caller(running.baseUrl);
    admin = await quickAdvisor(running.service.store, 'admin@zemigra.example', 'admin');
  });
  afterAll(() => running.close());

  it('lists the queue urgent first, then oldest first, with the context an advisor needs', async () => {
    const store = running.service.store;
    const { token } = await quickAdvisor(store, 'queue@zemigra.example');
    const normalOld = await seedEscalation(store, 'queue-normal-old');
    await new Promise((r) => setTimeout(r, 5));
    const urgentNew = await seedEscalation(store, 'queue-urgent-new', { priority: 'urgent' });
    await new Promise((r) => setTimeout(r, 5));
    const normalNew = await seedEscalation(store, 'queue-normal-new');
    await new Promise((r) => setTimeout(r, 5));
    const urgentNewer = await seedEscalation(store, 'queue-urgent-newer', { priority: 'urgent' });

    const res = await call('GET', '/api/v1/escalations?status=queued', { token });
    expect(res.status).toBe(200);
    const ids = res.body.escalations.map((e: { id: string }) => e.id);
    const mine = ids.filter((id: string) => [normalOld.id, urgentNew.id, normalNew.id, urgentNewer.id].includes(id));
    expect(mine).toEqual([urgentNew.id, urgentNewer.id, normalOld.id, normalNew.id]);
    expect(res.body.escalations.find((e: { id: string }) => e.id === urgentNew.id)).toEqual({
      id: urgentNew.id,
      status: 'queued',
      reason: 'urgent',
      priority: 'urgent',
      language: 'uk',
      intents: ['recognition.need'],
      entities: [{ type: 'profession', value: 'nurse' }],
      advisorId: null,
      createdAt: expect.any(String),
      claimedAt: null,
      closedAt: null,
      updatedAt: expect.any(String),
    });
    // The session id (= conversation id) is the person's; advisors work with escalation ids.
    expect(JSON.stringify(res.body)).not.toContain('queue-urgent-new');
    expect((await call('GET', '/api/v1/escalations?status=open', { token })).status).toBe(400);
    expect((await call('GET', '/api/v1/escalations', { token })).body.escalations.length).toBeGreaterThanOrEqual(4);
  });

  it('50 concurrent claims: exactly one 200, 49 × 409', async () => {
    const store = running.service.store;
    const escalation = await seedEscalation(store, 'claim-race');
    const advisors = await Promise.all(Array.from({ length: 50 }, (_, i) => quickAdvisor(store, `claimer${i}@zemigra.example`)));
    const results = await Promise.all(advisors.map(({ token }) => call('POST', `/api/v1/escalations/${escalation.id}/claim`, { token })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body.escalation).toMatchObject({ id: escalation.id, status: 'assigned', claimedAt: expect.any(String) });
    expect(advisors.map((a) => a.advisor.id)).toContain(winner.body.escalation.advisorId);
    expect(results.find((r) => r.status === 409)!.body.error.code).toBe('conflict');
    const claims = (await store.audit.list({ limit: 1000 })).filter((e) => e.action === 'escalation.claim' && e.target === escalation.id);
    expect(claims).toHaveLength(1);
  });

  it('relays: the owner writes to the person (stored, pushed live, on the messages route); notes stay internal; resolve hands back', async () => {
    const store = running.service.store;
    const chat = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Я хочу поговорити з консультантом, PERSON-TEXT' });
    const { sessionId, sessionToken } = chat.body;
    // Asking for a person opens the escalation in the same turn.
    expect(chat.body.escalation).toMatchObject({ status: 'queued', reason: 'requested', priority: 'normal' });
    const escalation = (await store.escalations.get(chat.body.escalation.id))!;
    expect(escalation.intents).toEqual(['handoff.request']);
    const owner = await quickAdvisor(store, 'owner@zemigra.example');
    const other = await quickAdvisor(store, 'other@zemigra.example');

    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: owner.token, body: { text: 'too early' } })).status).toBe(409);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/claim`, { token: owner.token })).status).toBe(200);

    const detail = await call('GET', `/api/v1/escalations/${escalation.id}`, { token: other.token });
    expect(detail.status).toBe(200);
    expect(detail.body.escalation).toMatchObject({ id: escalation.id, status: 'assigned', advisorId: owner.advisor.id, callbackContact: null, notes: [] });
    expect(detail.body.transcript[0]).toEqual({ role: 'user', text: 'Я хочу поговорити з консультантом, PERSON-TEXT', createdAt: expect.any(String) });
    expect(detail.body.transcript.every((l: object) => Object.keys(l).sort().join() === 'createdAt,role,text')).toBe(true);
    const detailText = JSON.stringify(detail.body);
    expect(detailText).not.toContain(sessionId);
    expect(detailText).not.toContain(sessionToken);

    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: other.token, body: { text: 'not mine' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: admin.token, body: { text: 'not mine either' } })).status).toBe(403);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: owner.token, body: { text: '   ' } })).status).toBe(400);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: owner.token, body: { text: 'x'.repeat(2001) } })).status).toBe(400);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: owner.token, body: { text: 'a', extra: 1 } })).status).toBe(400);
    const notJson = await fetch(`${running.baseUrl}/api/v1/escalations/${escalation.id}/messages`, { method: 'POST', headers: { authorization: `Bearer ${owner.token}`, 'content-type': 'text/plain' }, body: 'hi' });
    expect(notJson.status).toBe(415);

    const sent = await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: owner.token, body: { text: 'Добрий день! ADVISOR-TEXT' } });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toEqual({ role: 'advisor', text: 'Добрий день! ADVISOR-TEXT', createdAt: expect.any(String) });
    expect(pushed).toContainEqual(['deliver', sessionId, 'Добрий день! ADVISOR-TEXT', expect.any(Number)]);
    // The person was told first that a person has taken over, in their language.
    expect(pushed.findIndex((p) => p[0] === 'takenOver')).toBeLessThan(pushed.findIndex((p) => p[0] === 'deliver'));
    expect(pushed).toContainEqual(['takenOver', sessionId, 'uk', 'assigned']);

    // While the advisor owns the conversation the bot is silent and the person's message goes to the advisor.
    const meanwhile = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Дякую! Скільки коштує визнання? PERSON-AGAIN', sessionId });
    expect(meanwhile.body.messages).toEqual([]);
    expect(meanwhile.body.escalation).toMatchObject({ id: escalation.id, status: 'assigned' });
    const withReply = await call('GET', `/api/v1/escalations/${escalation.id}`, { token: owner.token });
    expect(withReply.body.transcript.map((l: { text: string }) => l.text)).toContain('Дякую! Скільки коштує визнання? PERSON-AGAIN');

    const note = await call('POST', `/api/v1/escalations/${escalation.id}/notes`, { token: other.token, body: { text: 'NOTE-TEXT: prefers phone' } });
    expect(note.status).toBe(201);
    expect(note.body.note).toMatchObject({ advisorId: other.advisor.id, text: 'NOTE-TEXT: prefers phone' });

    const personView = await fetch(`${running.baseUrl}/api/v1/chat/${sessionId}/messages`, { headers: { authorization: `Bearer ${sessionToken}` } }).then((r) => r.json() as Promise<any>);
    expect(personView.messages.filter((m: { role: string }) => m.role === 'advisor')).toEqual([expect.objectContaining({ text: 'Добрий день! ADVISOR-TEXT' })]);
    expect(JSON.stringify(personView)).not.toContain('NOTE-TEXT');
    expect((await call('GET', `/api/v1/escalations/${escalation.id}`, { token: owner.token })).body.escalation.notes).toHaveLength(1);

    expect((await call('POST', `/api/v1/escalations/${escalation.id}/resolve`, { token: other.token })).status).toBe(403);
    const resolved = await call('POST', `/api/v1/escalations/${escalation.id}/resolve`, { token: owner.token });
    expect(resolved.status).toBe(200);
    expect(resolved.body.escalation).toMatchObject({ status: 'resolved', closedAt: expect.any(String) });
    expect(pushed).toContainEqual(['handBack', sessionId, 'uk', 'resolved']);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/claim`, { token: other.token })).status).toBe(409);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/return-to-bot`, { token: owner.token })).status).toBe(409);
    expect((await call('POST', `/api/v1/escalations/${escalation.id}/messages`, { token: owner.token, body: { text: 'after' } })).status).toBe(409);
  });

  it('returns to the bot by the owner or an admin; 404 for unknown escalations', async () => {
    const store = running.service.store;
    const owner = await quickAdvisor(store, 'returner@zemigra.example');
    const a = await seedEscalation(store, 'return-by-owner');
    const b = await seedEscalation(store, 'return-by-admin');
    await call('POST', `/api/v1/escalations/${a.id}/claim`, { token: owner.token });
    await call('POST', `/api/v1/escalations/${b.id}/claim`, { token: owner.token });
    expect((await call('POST', `/api/v1/escalations/${a.id}/return-to-bot`, { token: owner.token })).body.escalation.status).toBe('returned');
    expect((await call('POST', `/api/v1/escalations/${b.id}/return-to-bot`, { token: admin.token })).body.escalation.status).toBe('returned');
    expect(pushed).toContainEqual(['handBack', 'return-by-owner', 'uk', 'returned']);
    expect(pushed).toContainEqual(['handBack', 'return-by-admin', 'uk', 'returned']);
    for (const path of ['/api/v1/escalations/00000000-0000-0000-0000-000000000000', '/api/v1/escalations/no$such$id']) {
      expect((await call('GET', path, { token: owner.token })).status).toBe(404);
    }
    expect((await call('POST', '/api/v1/escalations/00000000-0000-0000-0000-000000000000/claim', { token: owner.token })).status).toBe(404);
  });

  it('ends a closed escalation\'s transcript when it was closed: what the person writes to the bot later is not shown', async () => {
    const store = running.service.store;
    const owner = await quickAdvisor(store, 'closed-transcript@zemigra.example');
    const escalation = await seedEscalation(store, 'closed-transcript');
    await store.conversations.appendMessage('closed-transcript', { role: 'user', text: 'before the hand-back', language: 'uk' });
    await call('POST', `/api/v1/escalations/${escalation.id}/claim`, { token: owner.token });
    await call('POST', `/api/v1/escalations/${escalation.id}/return-to-bot`, { token: owner.token });
    await new Promise((r) => setTimeout(r, 5));
    await store.conversations.appendMessage('closed-transcript', { role: 'user', text: 'later, to the bot: I live at Riebeckplatz 3', language: 'uk' });
    const detail = await call('GET', `/api/v1/escalations/${escalation.id}`, { token: owner.token });
    const texts = detail.body.transcript.map((line: { text: string }) => line.text);
    expect(texts).toContain('before the hand-back');
    expect(texts.join('\n')).not.toContain('Riebeckplatz');
  });

  it('writes an audit entry for every action, never with message or note texts', async () => {
    const res = await call('GET', '/api/v1/audit?limit=1000', { token: admin.token });
    const actions = new Set(res.body.entries.map((e: { action: string }) => e.action));
    for (const action of ['escalation.claim', 'escalation.message', 'escalation.note', 'escalation.resolve', 'escalation.return']) expect(actions).toContain(action);
    const text = JSON.stringify(res.body);
    for (const secret of ['PERSON-TEXT', 'ADVISOR-TEXT', 'NOTE-TEXT', 'prefers phone', 'Добрий']) expect(text).not.toContain(secret);
  });
});
