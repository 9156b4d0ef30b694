import net from 'node:net';
import { connect } from '../helpers/websocket';
import { postJson, startService, type RunningService } from '../helpers/service';

/**
 * MONGODB_URI points at a port where nothing listens (MongoDB down at start-up, refused by the real
 * TCP stack): the service must start, say it is not ready, refuse to take messages with a clear 503
 * and stay up, instead of crashing or pretending to have saved anything.
 */
describe('start-up with MongoDB down', () => {
  let running: RunningService;

  beforeAll(async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    running = await startService({ MONGODB_URI: `mongodb://127.0.0.1:${port}/zemigra-down`, ADMIN_EMAIL: 'admin@zemigra.example', ADMIN_PASSWORD: 'a-long-admin-password' });
  }, 60_000);
  afterAll(() => running?.close());

  it('serves /healthz and answers /readyz with 503 and the reason', async () => {
    expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${running.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: 'not_ready', reason: 'store unreachable' });
  });

  it('refuses a chat message with 503 store_unavailable and Retry-After, and keeps serving', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Wo kann ich meinen Abschluss anerkennen lassen?' });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('store_unavailable');
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    }
    expect((await fetch(`${running.baseUrl}/api/v1/languages`)).status).toBe(200);
  });

  it('answers an advisor login and the queue with 503, not 500 or 401', async () => {
    const login = await postJson(`${running.baseUrl}/api/v1/auth/login`, { email: 'admin@zemigra.example', password: 'a-long-admin-password' });
    expect(login.status).toBe(503);
    expect(login.body.error.code).toBe('store_unavailable');
  });

  it('tells a web-chat client on its socket that the message was not taken', async () => {
    const client = await connect(running.baseUrl.replace('http', 'ws'));
    try {
      client.ws.send(JSON.stringify({ type: 'message', text: 'Hallo', user: 'socket-session-down', channel: 'websocket' }));
      const reply = await client.next((m) => m.type === 'error');
      expect(reply.error.code).toBe('store_unavailable');
    } finally {
      client.ws.close();
    }
  });
});
