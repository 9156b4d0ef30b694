import { WebSocket } from 'ws';
import { socketOriginAllowed } from '../../src/channels/web.adapter';
import { postJson, startService, type RunningService } from '../helpers/service';
import { connect } from '../helpers/websocket';

/** Opens a socket as a browser on `origin` would; resolves with the handshake's HTTP status. */
function handshake(url: string, origin: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { origin });
    ws.on('open', () => (ws.close(), resolve(101)));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('web chat over the websocket (Botkit web adapter protocol)', () => {
  let running: RunningService;
  let wsUrl: string;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    wsUrl = running.baseUrl.replace('http', 'ws');
  });
  afterAll(() => running.close());

  it('greets on hello and answers a message with quick replies and sources', async () => {
    const { ws, next } = await connect(wsUrl);
    const user = 'websocket-user-1';
    ws.send(JSON.stringify({ type: 'hello', user, channel: 'socket' }));
    const greeting = await next();
    expect(greeting.type).toBe('message');
    expect(greeting.quick_replies.length).toBeGreaterThan(0);

    ws.send(JSON.stringify({ type: 'message', user, channel: 'socket', text: 'Was kostet eine Anerkennung?' }));
    const answer = await next();
    expect(answer.text.length).toBeGreaterThan(20);
    expect(answer.sources.length).toBeGreaterThan(0);
    ws.close();
  });

  it('shares the conversation with the REST channel', async () => {
    const { ws, next } = await connect(wsUrl);
    const user = 'shared-session-42';
    ws.send(JSON.stringify({ type: 'message', user, text: 'Hello, I want to learn German' }));
    await next();
    ws.close();
    const rest = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'ok', sessionId: user });
    expect(rest.body.language).toBe('en');
  });

  it('lets a socket take over an existing session only with its session token', async () => {
    const started = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Hallo' });
    const user = started.body.sessionId;

    const stranger = await connect(wsUrl);
    stranger.ws.send(JSON.stringify({ type: 'message', user, text: 'Was kostet die Anerkennung?' }));
    expect((await stranger.next()).error.code).toBe('unauthorized');
    stranger.ws.close();

    const owner = await connect(wsUrl);
    owner.ws.send(JSON.stringify({ type: 'message', user, token: started.body.sessionToken, text: 'Was kostet die Anerkennung?' }));
    expect((await owner.next((m) => m.type === 'message')).sources.length).toBeGreaterThan(0);
    owner.ws.close();
  });

  it('refuses garbage frames with an error frame and keeps serving', async () => {
    const { ws, next } = await connect(wsUrl);
    ws.send('not json');
    expect((await next()).error.code).toBe('invalid_json');
    ws.send(JSON.stringify({ type: 'message', user: { $gt: '' }, text: 'hi' }));
    expect((await next()).error.code).toBe('invalid_body');
    ws.send(JSON.stringify({ type: 'message', user: 'short', text: 'hi' }));
    expect((await next()).error.code).toBe('invalid_body');
    ws.send(JSON.stringify({ type: 'message', user: 'valid-user-99', text: 'Hallo' }));
    expect((await next((m) => m.type === 'message')).text.length).toBeGreaterThan(0);
    ws.close();
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });

  it('tells the web chat the language, the cursor and the handover state with each reply', async () => {
    const { ws, next } = await connect(wsUrl);
    const user = 'websocket-extras-7';
    // Opening in Arabic sets where the chat starts, but is not a choice: a German question is answered in German.
    ws.send(JSON.stringify({ type: 'hello', user, language: 'ar' }));
    const greeting = await next();
    expect(greeting).toMatchObject({ language: 'ar', cursor: expect.stringMatching(/^\d+$/), session: { id: user } });
    ws.send(JSON.stringify({ type: 'message', user, text: 'Wie lange dauert die Anerkennung meines Abschlusses?' }));
    const answer = await next((m) => m.type === 'message');
    expect(answer).toMatchObject({ language: 'de', escalation: null });
    expect(Number(answer.cursor)).toBeGreaterThan(Number(greeting.cursor));
    ws.send(JSON.stringify({ type: 'message', user, text: 'intent:handoff.request' }));
    const handedOver = await next((m) => m.type === 'message');
    expect(handedOver.escalation).toMatchObject({ status: 'queued', reason: 'requested' });
    expect(Object.keys(handedOver.escalation).sort()).toEqual(['createdAt', 'id', 'priority', 'reason', 'status']);
    ws.close();

    const history = await fetch(`${running.baseUrl}/api/v1/chat/${user}/messages`, { headers: { authorization: `Bearer ${greeting.session.token}` } });
    expect(((await history.json()) as { escalation: unknown }).escalation).toMatchObject({ status: 'queued' });
  });

  it('accepts browsers from its own host and CORS_ORIGINS only', async () => {
    expect(await handshake(`${wsUrl}/ws`, running.baseUrl)).toBe(101);
    expect(await handshake(`${wsUrl}/ws`, 'https://evil.example')).toBe(403);
    const request = (origin: string | undefined) => ({ headers: { origin, host: 'chat.zemigra.example' } });
    expect(socketOriginAllowed(request('https://partner.example'), ['https://partner.example'])).toBe(true);
    expect(socketOriginAllowed(request('https://chat.zemigra.example'), [])).toBe(true);
    expect(socketOriginAllowed(request('https://chat.zemigra.example.evil.example'), [])).toBe(false);
    expect(socketOriginAllowed(request('null'), [])).toBe(false);
    expect(socketOriginAllowed(request(undefined), [])).toBe(true);
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });

  it('closes a connection that sends an oversized frame, without harm to the service', async () => {
    const { ws } = await connect(wsUrl);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat(64 * 1024));
    expect(await closed).toBe(1009);
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });
});
