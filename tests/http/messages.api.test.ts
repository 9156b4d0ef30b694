import { postJson, startService, type RunningService } from '../helpers/service';

describe('messages route and erasure', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => running.close());

  const get = async (path: string, token?: string) => {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as any };
  };

  it('lists the conversation after a cursor with the session token', async () => {
    const first = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Welche Unterlagen brauche ich für die Anerkennung?' });
    const { sessionId, sessionToken } = first.body;
    await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Danke!', sessionId });

    const all = await get(`/api/v1/chat/${sessionId}/messages`, sessionToken);
    expect(all.status).toBe(200);
    expect(all.body.messages.map((m: { role: string }) => m.role)).toEqual(['user', 'bot', 'user', 'bot']);
    expect(all.body.messages[0].text).toBe('Welche Unterlagen brauche ich für die Anerkennung?');
    expect(all.body.messages[1].sources.length).toBeGreaterThan(0);

    const later = await get(`/api/v1/chat/${sessionId}/messages?after=${all.body.messages[1].cursor}`, sessionToken);
    expect(later.body.messages.map((m: { text: string }) => m.text)[0]).toBe('Danke!');
    const none = await get(`/api/v1/chat/${sessionId}/messages?after=${all.body.cursor}`, sessionToken);
    expect(none.body.messages).toEqual([]);
    expect(none.body.cursor).toBe(all.body.cursor);
  });

  it('answers 401 without or with a wrong token and 400 for a bad cursor', async () => {
    const { body } = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' });
    expect((await get(`/api/v1/chat/${body.sessionId}/messages`)).status).toBe(401);
    expect((await get(`/api/v1/chat/${body.sessionId}/messages`, 'A'.repeat(43))).status).toBe(401);
    expect((await get(`/api/v1/chat/${body.sessionId}/messages?after=abc`, body.sessionToken)).status).toBe(400);
    expect((await get(`/api/v1/chat/${body.sessionId}/messages?after[$gt]=1`, body.sessionToken)).status).toBe(400);
  });

  it('erases the conversation with its token; afterwards the messages route answers 404', async () => {
    const { body } = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Ich habe eine Duldung und suche eine Ausbildung' });
    const del = (token: string) => fetch(`${running.baseUrl}/api/v1/chat/${body.sessionId}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect((await del('B'.repeat(43))).status).toBe(401);
    expect((await del(body.sessionToken)).status).toBe(204);
    expect((await get(`/api/v1/chat/${body.sessionId}/messages`, body.sessionToken)).status).toBe(404);
  });
});

describe('health and readiness', () => {
  it('reports healthy and ready once trained', async () => {
    const running = await startService();
    try {
      expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
      const ready = await fetch(`${running.baseUrl}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready' });
    } finally {
      await running.close();
    }
  });
});
