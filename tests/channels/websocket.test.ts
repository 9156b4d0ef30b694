import { postJson, startService, type RunningService } from '../helpers/service';
import { connect } from '../helpers/websocket';

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

  it('closes a connection that sends an oversized frame, without harm to the service', async () => {
    const { ws } = await connect(wsUrl);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat(64 * 1024));
    expect(await closed).toBe(1009);
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
  });
});
