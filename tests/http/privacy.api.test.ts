import { capturingLogger } from '../helpers/log-capture';
import { startService, type RunningService } from '../helpers/service';
import { AUTH_SECRET, caller, openEvents, quickAdvisor } from './advisor-helpers';

/**
 * Data protection over HTTP (issue #5): the person's export with their session token, an admin's
 * export and erasure with audit entries, the cascade to escalations, and what reaches the log.
 */
describe('data protection over HTTP', () => {
  // Requests come through a trusted proxy from this address: it must not show up anywhere.
  const CLIENT_IP = '203.0.113.77';
  const capture = capturingLogger('trace');
  /** Everything people and advisors write in this file; none of it may reach the log or the audit log. */
  const written: string[] = [];
  let running: RunningService;
  let call: ReturnType<typeof caller>;
  let admin: string;
  let advisor: { id: string; token: string };

  const send = (method: string, path: string, options: { token?: string; body?: unknown } = {}) =>
    call(method, path, { ...options, headers: { 'x-forwarded-for': CLIENT_IP } });
  const say = async (text: string, sessionId?: string) => {
    written.push(text);
    const res = await send('POST', '/api/v1/chat', { body: { text, ...(sessionId ? { sessionId } : {}) } });
    expect(res.status).toBe(200);
    return res.body;
  };
  /** A person who asked for an advisor: a conversation with an open (queued) escalation. */
  const personWithEscalation = async (text: string) => {
    const body = await say(text);
    expect(body.escalation).toMatchObject({ status: 'queued' });
    return { sessionId: body.sessionId as string, token: body.sessionToken as string, escalationId: body.escalation.id as string };
  };

  beforeAll(async () => {
    running = await startService({ AUTH_SECRET, TRUST_PROXY_HOPS: '1', RETENTION_DAYS: '45', OFFICE_HOURS: 'always' }, {}, capture.logger);
    call = caller(running.baseUrl);
    admin = (await quickAdvisor(running.service.store, 'privacy-admin@zemigra.example', 'admin')).token;
    const a = await quickAdvisor(running.service.store, 'privacy-advisor@zemigra.example');
    advisor = { id: a.advisor.id, token: a.token };
  });
  afterAll(() => running.close());

  describe("the person's export (GET /api/v1/chat/:sessionId/export)", () => {
    it('contains what the person, the bot and the advisor wrote, the handovers and the callback contact; no token hash, advisor id or notes', async () => {
      const person = await personWithEscalation('Ich möchte bitte mit einem Menschen über meine Duldung sprechen');
      expect((await send('POST', `/api/v1/escalations/${person.escalationId}/claim`, { token: advisor.token })).status).toBe(200);
      const advisorText = 'Guten Tag, hier ist Anna von der Beratung.';
      const note = 'Notiz: wirkt sehr unsicher wegen der Ausländerbehörde';
      written.push(advisorText, note);
      expect((await send('POST', `/api/v1/escalations/${person.escalationId}/messages`, { token: advisor.token, body: { text: advisorText } })).status).toBe(201);
      expect((await send('POST', `/api/v1/escalations/${person.escalationId}/notes`, { token: advisor.token, body: { text: note } })).status).toBe(201);
      expect((await send('POST', `/api/v1/escalations/${person.escalationId}/resolve`, { token: advisor.token })).status).toBe(200);
      // A second handover, this time as a callback with the person's phone number.
      const again = await say('Ich brauche noch einmal eine Beraterin', person.sessionId);
      await say('callback:offer', person.sessionId);
      await say('callback:agree', person.sessionId);
      const saved = await say('+49 391 555 0199', person.sessionId);
      expect(saved.escalation).toMatchObject({ id: again.escalation.id, status: 'callback' });

      const res = await fetch(`${running.baseUrl}/api/v1/chat/${person.sessionId}/export`, { headers: { authorization: `Bearer ${person.token}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="zemigra-conversation-${person.sessionId}.json"`);
      const raw = await res.text();
      const document = JSON.parse(raw);

      expect(document).toMatchObject({
        format: 'zemigra.conversation-export',
        exportedAt: expect.any(String),
        retention: { days: 45, statement: expect.stringContaining('45 days') },
        conversation: { id: person.sessionId, language: 'de', createdAt: expect.any(String), updatedAt: expect.any(String) },
      });
      expect(Object.keys(document.conversation).sort()).toEqual(['createdAt', 'id', 'language', 'updatedAt']);
      const texts = document.messages.map((m: { text: string }) => m.text);
      expect(texts).toContain('Ich möchte bitte mit einem Menschen über meine Duldung sprechen');
      expect(texts).toContain(advisorText);
      expect(document.messages.filter((m: { role: string }) => m.role === 'bot').length).toBeGreaterThan(2);
      expect(document.messages.map((m: { seq: number }) => m.seq)).toEqual(document.messages.map((_: unknown, i: number) => i + 1));
      expect(document.messages[0]).toEqual({ seq: 1, role: 'user', text: texts[0], language: 'de', createdAt: expect.any(String), intent: 'handoff.request', sources: [] });

      expect(document.escalations).toEqual([
        expect.objectContaining({ id: person.escalationId, status: 'resolved', reason: 'requested', closedAt: expect.any(String), callbackContact: null }),
        expect.objectContaining({ id: again.escalation.id, status: 'callback', closedAt: null, callbackContact: { kind: 'phone', value: '+49 391 555 0199' } }),
      ]);
      for (const hidden of ['tokenHash', person.token, 'advisorId', advisor.id, note, 'notes']) expect(raw).not.toContain(hidden);
    });

    it('answers 401 without or with a wrong token, 404 for an unknown session, 400 for a malformed id', async () => {
      const body = await say('Wie lange dauert die Anerkennung?');
      const get = (id: string, token?: string) => send('GET', `/api/v1/chat/${id}/export`, { token });
      expect((await get(body.sessionId)).status).toBe(401);
      const wrong = await get(body.sessionId, 'W'.repeat(43));
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      // An advisor's token is no session token either.
      expect((await get(body.sessionId, admin)).status).toBe(401);
      const unknown = await get('no-such-session-123', body.sessionToken);
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('not_found');
      const malformed = await get('short', body.sessionToken);
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.code).toBe('invalid_session_id');
    });

    it("the person's own erasure takes the escalation with it, and the advisor consoles hear of it", async () => {
      const person = await personWithEscalation('Ich will mit einer Beraterin reden, bitte');
      const stream = await openEvents(running.baseUrl, advisor.token);
      expect((await send('DELETE', `/api/v1/chat/${person.sessionId}`, { token: person.token })).status).toBe(204);
      const erased = await stream.waitFor((e) => e.event === 'escalation.erased' && e.data.escalationId === person.escalationId);
      await stream.close();
      expect(Object.keys(erased.data).sort()).toEqual(['at', 'escalationId', 'type']);
      expect((await send('GET', `/api/v1/chat/${person.sessionId}/messages`, { token: person.token })).status).toBe(404);
      expect((await send('GET', `/api/v1/chat/${person.sessionId}/export`, { token: person.token })).status).toBe(404);
      expect((await send('GET', `/api/v1/escalations/${person.escalationId}`, { token: advisor.token })).status).toBe(404);
      const queue = await send('GET', '/api/v1/escalations', { token: advisor.token });
      expect(queue.body.escalations.map((e: { id: string }) => e.id)).not.toContain(person.escalationId);
    });
  });

  describe('admin export and erasure (/api/v1/admin/conversations/:sessionId)', () => {
    it('exports for an admin, as a download, audited with ids and counts only', async () => {
      const person = await personWithEscalation('Bitte verbinden Sie mich mit einem Menschen, es geht um meinen Aufenthalt');
      const res = await send('GET', `/api/v1/admin/conversations/${person.sessionId}/export`, { token: admin });
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="zemigra-conversation-${person.sessionId}.json"`);
      expect(res.body.conversation.id).toBe(person.sessionId);
      expect(res.body.messages[0].text).toBe('Bitte verbinden Sie mich mit einem Menschen, es geht um meinen Aufenthalt');
      expect(res.body.escalations).toEqual([expect.objectContaining({ id: person.escalationId, status: 'queued' })]);

      const audit = await send('GET', '/api/v1/audit?limit=1000', { token: admin });
      const entry = audit.body.entries.find((e: { action: string; target?: string }) => e.action === 'conversation.export' && e.target === person.sessionId);
      expect(entry).toEqual({
        id: expect.any(String),
        at: expect.any(String),
        actorId: expect.any(String),
        action: 'conversation.export',
        target: person.sessionId,
        details: { messages: res.body.messages.length, escalations: 1 },
      });
    });

    it('erases for an admin: 204, then the messages route is 404 and the escalation is gone; audited', async () => {
      const person = await personWithEscalation('Ich möchte mit jemandem persönlich sprechen, mein Chef zahlt nicht');
      const stream = await openEvents(running.baseUrl, advisor.token);
      const erased = await send('DELETE', `/api/v1/admin/conversations/${person.sessionId}`, { token: admin });
      expect(erased.status).toBe(204);
      expect(erased.body).toBe('');
      await stream.waitFor((e) => e.event === 'escalation.erased' && e.data.escalationId === person.escalationId);
      await stream.close();

      expect((await send('GET', `/api/v1/chat/${person.sessionId}/messages`, { token: person.token })).status).toBe(404);
      expect((await send('GET', `/api/v1/escalations/${person.escalationId}`, { token: advisor.token })).status).toBe(404);
      expect(await running.service.store.escalations.get(person.escalationId)).toBeNull();
      expect((await send('GET', `/api/v1/admin/conversations/${person.sessionId}/export`, { token: admin })).status).toBe(404);
      expect((await send('DELETE', `/api/v1/admin/conversations/${person.sessionId}`, { token: admin })).status).toBe(404);

      const audit = await send('GET', '/api/v1/audit?limit=1000', { token: admin });
      const entries = audit.body.entries.filter((e: { action: string; target?: string }) => e.action === 'conversation.erase' && e.target === person.sessionId);
      expect(entries).toEqual([expect.objectContaining({ action: 'conversation.erase', target: person.sessionId, details: { messages: expect.any(Number), escalations: 1 } })]);
    });

    it('answers 404 for an unknown and 400 for a malformed session id', async () => {
      for (const [method, path] of [
        ['GET', '/api/v1/admin/conversations/unknown-session-42/export'],
        ['DELETE', '/api/v1/admin/conversations/unknown-session-42'],
      ]) {
        const res = await send(method, path, { token: admin });
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
      for (const [method, path] of [
        ['GET', '/api/v1/admin/conversations/bad%20id!/export'],
        ['DELETE', `/api/v1/admin/conversations/${'x'.repeat(129)}`],
      ]) {
        const res = await send(method, path, { token: admin });
        expect(res.status).toBe(400);
        expect(res.body).toEqual({ error: { code: 'invalid_session_id', message: expect.any(String), details: expect.any(Array) } });
      }
    });

    it('keeps message texts, notes and contacts out of the audit log', async () => {
      const audit = await send('GET', '/api/v1/audit?limit=1000', { token: admin });
      expect(audit.body.entries.some((e: { action: string }) => e.action === 'conversation.erase')).toBe(true);
      const text = JSON.stringify(audit.body);
      for (const secret of [...written, '555 0199', CLIENT_IP]) expect(text).not.toContain(secret);
    });
  });

  // Last: reads what all the tests above made the service log. Today the service writes no line per
  // request at all; this guards against one that would carry a text or an address.
  describe('the log', () => {
    it('carries no message text, note, contact or IP address, even at level trace', () => {
      const log = capture.text();
      expect(capture.lines().map((l) => l.msg)).toContain('service ready');
      expect(written.length).toBeGreaterThan(8);
      for (const secret of [...written, '555 0199', CLIENT_IP, '127.0.0.1']) expect(log).not.toContain(secret);
    });
  });
});
