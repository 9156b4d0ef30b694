import fs from 'node:fs';
import { connect } from '../helpers/websocket';
import { postJson, startService, type RunningService } from '../helpers/service';

/**
 * The store fails while the service runs (the journal cannot be written: a full disk): the affected
 * requests get a clear 503, a failing Botkit turn neither ends the process nor closes the sockets of
 * other people, and everything works again once writes succeed.
 */
describe('store failure at runtime', () => {
  let running: RunningService;
  let diskFull = false;
  const write = (fd: number, text: string) => {
    if (diskFull) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    return fs.writeSync(fd, text);
  };

  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' }, { journalWrite: write });
  }, 60_000);
  afterAll(() => running.close());

  it('answers 503 store_unavailable while writes fail and recovers without a restart', async () => {
    const url = `${running.baseUrl}/api/v1/chat`;
    const first = await postJson(url, { text: 'Hallo' });
    expect(first.status).toBe(200);
    const bystander = await connect(running.baseUrl.replace('http', 'ws'));
    const person = await connect(running.baseUrl.replace('http', 'ws'));
    try {
      bystander.ws.send(JSON.stringify({ type: 'message', text: 'Hallo', user: 'bystander-session-1', channel: 'websocket' }));
      expect((await bystander.next((m) => m.type === 'message')).text).toEqual(expect.any(String));

      diskFull = true;
      const refused = await postJson(url, { text: 'Wie lange dauert die Anerkennung?', sessionId: first.body.sessionId });
      expect(refused.status).toBe(503);
      expect(refused.body.error.code).toBe('store_unavailable');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      person.ws.send(JSON.stringify({ type: 'message', text: 'Hallo', user: 'person-session-12', channel: 'websocket' }));
      expect((await person.next((m) => m.type === 'error')).error.code).toBe('store_unavailable');
      expect((await fetch(`${running.baseUrl}/healthz`)).status).toBe(200);

      diskFull = false;
      const again = await postJson(url, { text: 'Wie lange dauert die Anerkennung?', sessionId: first.body.sessionId });
      expect(again.status).toBe(200);
      // Both sockets are still open and served: the failed turn touched only its own person.
      bystander.ws.send(JSON.stringify({ type: 'message', text: 'Danke', user: 'bystander-session-1', channel: 'websocket' }));
      expect((await bystander.next((m) => m.type === 'message')).text).toEqual(expect.any(String));
      person.ws.send(JSON.stringify({ type: 'message', text: 'Hallo', user: 'person-session-12', channel: 'websocket' }));
      expect((await person.next((m) => m.type === 'message')).text).toEqual(expect.any(String));
      // The refused message was not stored; the one after recovery was.
      const messages = await running.service.store.conversations.listMessages(first.body.sessionId, 0, 50);
      expect(messages.filter((m) => m.role === 'user').map((m) => m.text)).toEqual(['Hallo', 'Wie lange dauert die Anerkennung?']);
    } finally {
      bystander.ws.close();
      person.ws.close();
    }
  });
});
