import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { EscalationEvents, type EscalationEvent } from '../../src/escalation/escalation-events';
import { EscalationWebhook, signWebhook, startEscalationWebhook, verifyWebhookSignature, type WebhookOptions } from '../../src/notifications/webhook';
import { startService, type RunningService } from '../helpers/service';

const SECRET = 'test-webhook-secret-0123456789abcdef';

interface Received {
  headers: http.IncomingHttpHeaders;
  url: string;
  body: string;
}

/** A real HTTP receiver on a free port; `statuses` are answered in order, then 200. */
async function receiver(statuses: number[] = []) {
  const requests: Received[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests.push({ headers: req.headers, url: req.url ?? '', body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = statuses.shift() ?? 200;
      res.end('{"ok":true}');
      for (const w of waiters.filter((w) => requests.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    requests,
    url: `http://127.0.0.1:${port}/hooks/zemigra?token=query-credential`,
    /** Resolves once `count` requests have arrived; rejects after 5 s so a missing delivery fails clearly. */
    received: (count: number) =>
      new Promise<void>((resolve, reject) => {
        if (requests.length >= count) return resolve();
        const timer = setTimeout(() => reject(new Error(`expected ${count} webhook request(s), got ${requests.length}`)), 5_000);
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A pino logger that keeps its lines, to check what the webhook writes (and does not). */
function capturingLogger() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

const created: EscalationEvent = {
  type: 'escalation.created',
  escalationId: '2b1c7f0e-0d1b-4a57-9a39-6f1f3f6b9a10',
  status: 'queued',
  priority: 'urgent',
  reason: 'urgent',
  language: 'uk',
  at: '2025-03-01T10:00:00.000Z',
};
const updated: EscalationEvent = { type: 'escalation.updated', escalationId: created.escalationId, status: 'assigned', advisorId: 'adv-1', at: '2025-03-01T10:05:00.000Z' };
const message: EscalationEvent = { type: 'escalation.message', escalationId: created.escalationId, role: 'user', at: '2025-03-01T10:06:00.000Z' };

function webhook(url: string, over: Partial<WebhookOptions> = {}) {
  const log = capturingLogger();
  const hook = new EscalationWebhook({ url, secret: SECRET, logger: log.logger, retryDelaysMs: [0, 0], ...over });
  return { hook, log };
}

describe('verifyWebhookSignature', () => {
  const body = '{"event":"escalation.created"}';
  const now = 1_740_823_200;

  it('accepts the signature of the raw body with a fresh timestamp', () => {
    const header = signWebhook(SECRET, now, body);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(SECRET, String(now), body, header, { nowSeconds: now + 10 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, now, Buffer.from(body), header, { nowSeconds: now })).toBe(true);
  });

  it('refuses a tampered body, timestamp, secret or header', () => {
    const header = signWebhook(SECRET, now, body);
    expect(verifyWebhookSignature(SECRET, now, body.replace('created', 'updated'), header, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, now + 1, body, header, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature('another-secret-of-at-least-32-chars!!', now, body, header, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, now, body, header.slice(0, -2), { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, now, body, header.replace('sha256=', 'sha1='), { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, now, body, undefined, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(SECRET, 'soon', body, header, { nowSeconds: now })).toBe(false);
  });

  it('refuses timestamps more than five minutes away (replays)', () => {
    const header = signWebhook(SECRET, now, body);
    expect(verifyWebhookSignature(SECRET, now, body, header, { nowSeconds: now + 300 })).toBe(true);
    expect(verifyWebhookSignature(SECRET, now, body, header, { nowSeconds: now + 301 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, now, body, header, { nowSeconds: now - 301 })).toBe(false);
  });
});

describe('escalation webhook delivery', () => {
  let target: Awaited<ReturnType<typeof receiver>> | undefined;
  afterEach(async () => {
    await target?.close();
    target = undefined;
  });

  it('POSTs a signed JSON payload that a receiver can verify', async () => {
    target = await receiver();
    const { hook, log } = webhook(target.url);
    const outcome = await hook.deliver(created);
    expect(outcome).toMatchObject({ ok: true, attempts: 1, status: 200 });

    expect(target.requests).toHaveLength(1);
    const [request] = target.requests;
    expect(request.url).toBe('/hooks/zemigra?token=query-credential');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['x-zemigra-event']).toBe('escalation.created');
    const payload = JSON.parse(request.body);
    expect(payload).toEqual({ event: 'escalation.created', id: request.headers['x-zemigra-delivery'], sentAt: expect.any(String), data: created });
    expect(payload.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.id).toBe(outcome.id);
    const timestamp = request.headers['x-zemigra-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const signature = request.headers['x-zemigra-signature'] as string;
    expect(verifyWebhookSignature(SECRET, timestamp, request.body, signature)).toBe(true);
    expect(verifyWebhookSignature(SECRET, timestamp, request.body.replace('"urgent"', '"normal"'), signature)).toBe(false);
    // The receiver recipe from the README, independent of our helper.
    const expected = 'sha256=' + createHmac('sha256', SECRET).update(`${timestamp}.${request.body}`).digest('hex');
    expect(signature).toBe(expected);

    // Logs name the host, never the path or query (a token may live there) or the secret.
    const logged = log.lines.join('\n');
    expect(logged).toContain(outcome.id);
    expect(logged).toMatch(/127\.0\.0\.1:\d+/);
    expect(logged).not.toMatch(/query-credential|hooks\/zemigra|test-webhook-secret/);
  });

  it('retries after a 500 and a 429 with the same delivery id, then succeeds', async () => {
    target = await receiver([500, 429]);
    const { hook } = webhook(target.url);
    const outcome = await hook.deliver(created);
    expect(outcome).toMatchObject({ ok: true, attempts: 3, status: 200 });
    expect(target.requests).toHaveLength(3);
    const ids = new Set(target.requests.map((r) => r.headers['x-zemigra-delivery']));
    expect(ids.size).toBe(1);
    for (const r of target.requests) {
      expect(verifyWebhookSignature(SECRET, r.headers['x-zemigra-timestamp'] as string, r.body, r.headers['x-zemigra-signature'] as string)).toBe(true);
    }
  });

  it('waits the configured delays between attempts', async () => {
    target = await receiver([503]);
    const waits: number[] = [];
    const realSetTimeout = global.setTimeout;
    const spy = jest.spyOn(global, 'setTimeout').mockImplementation(((fn: () => void, ms?: number) => {
      waits.push(ms ?? 0);
      return realSetTimeout(fn, 0);
    }) as typeof setTimeout);
    try {
      const { hook } = webhook(target.url, { retryDelaysMs: [1_000, 5_000] });
      expect(await hook.deliver(created)).toMatchObject({ ok: true, attempts: 2 });
    } finally {
      spy.mockRestore();
    }
    expect(waits).toContain(1_000);
    expect(waits).not.toContain(5_000);
  });

  it('gives up after three attempts', async () => {
    target = await receiver([500, 502, 503, 500]);
    const { hook, log } = webhook(target.url);
    const outcome = await hook.deliver(created);
    expect(outcome).toMatchObject({ ok: false, attempts: 3, status: 503, reason: 'exhausted' });
    expect(target.requests).toHaveLength(3);
    expect(log.lines.join('\n')).toContain('webhook delivery given up');
  });

  it('does not retry a 4xx other than 429', async () => {
    target = await receiver([400]);
    const { hook } = webhook(target.url);
    expect(await hook.deliver(created)).toMatchObject({ ok: false, attempts: 1, status: 400, reason: 'rejected' });
    expect(target.requests).toHaveLength(1);
  });

  it('retries network errors and gives up without throwing', async () => {
    const closed = await receiver();
    const url = closed.url;
    await closed.close(); // nothing listens on that port any more
    const { hook, log } = webhook(url);
    const outcome = await hook.deliver(created);
    expect(outcome).toMatchObject({ ok: false, attempts: 3, reason: 'exhausted' });
    expect(outcome.ok ? undefined : outcome.status).toBeUndefined();
    expect(log.lines.join('\n')).toMatch(/ECONNREFUSED/);
  });

  it('treats a timeout as a network error', async () => {
    const hanging = http.createServer(() => undefined); // never answers
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    try {
      const { hook } = webhook(`http://127.0.0.1:${(hanging.address() as AddressInfo).port}/`, { timeoutMs: 50, retryDelaysMs: [0] });
      expect(await hook.deliver(created)).toMatchObject({ ok: false, attempts: 2, reason: 'exhausted' });
    } finally {
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });

  it('sends only the configured events and never throws into the bus', async () => {
    target = await receiver();
    const listenerErrors: unknown[] = [];
    const bus = new EscalationEvents((error) => listenerErrors.push(error));
    const seen: string[] = [];
    const { logger } = capturingLogger();
    const running = startEscalationWebhook(bus, { url: target.url, secret: SECRET, logger, events: ['escalation.updated'], retryDelaysMs: [0, 0] });
    bus.subscribe((event) => seen.push(event.type));

    expect(() => {
      bus.publish(created);
      bus.publish(updated);
      bus.publish(message);
    }).not.toThrow();
    await running.webhook.flush();
    expect(seen).toEqual(['escalation.created', 'escalation.updated', 'escalation.message']);
    expect(target.requests.map((r) => r.headers['x-zemigra-event'])).toEqual(['escalation.updated']);
    expect(JSON.parse(target.requests[0].body).data).toEqual(updated);

    await running.close();
    bus.publish(updated);
    await running.webhook.flush();
    expect(target.requests).toHaveLength(1);
    expect(listenerErrors).toEqual([]);
  });

  it('defaults to escalation.created only, and a failing fetch or logger reaches neither the bus nor the process', async () => {
    const listenerErrors: unknown[] = [];
    const bus = new EscalationEvents((error) => listenerErrors.push(error));
    const calls: string[] = [];
    const brokenLogger = pino({ level: 'info' }, new Writable({ write: () => { throw new Error('log sink down'); } }));
    const running = startEscalationWebhook(bus, {
      url: 'https://hooks.example.org/x',
      secret: SECRET,
      logger: brokenLogger,
      retryDelaysMs: [0, 0],
      fetch: ((input: string) => {
        calls.push(String(input));
        throw new TypeError('synchronous failure');
      }) as unknown as typeof fetch,
    });
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    try {
      expect(() => {
        bus.publish(updated);
        bus.publish(created);
      }).not.toThrow();
      await running.webhook.flush();
      await running.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('unhandledRejection', unhandled);
    }
    expect(calls).toHaveLength(3); // created only, three attempts
    expect(listenerErrors).toEqual([]);
    expect(unhandled).not.toHaveBeenCalled();
  });

  it('close skips pending retry waits', async () => {
    target = await receiver([500, 500, 500]);
    const { hook } = webhook(target.url, { retryDelaysMs: [60_000, 60_000] });
    const outcome = hook.deliver(created);
    await target.received(1);
    await hook.close();
    await expect(outcome).resolves.toMatchObject({ ok: false, attempts: 1, reason: 'closed' });
    expect(target.requests).toHaveLength(1);
  });
});

describe('escalation webhook in the service', () => {
  let target: Awaited<ReturnType<typeof receiver>>;
  let running: RunningService;

  beforeAll(async () => {
    target = await receiver();
    running = await startService({ WEBHOOK_URL: target.url, WEBHOOK_SECRET: SECRET });
  });
  afterAll(async () => {
    await running?.close();
    await target?.close();
  });

  it('sends a signed escalation.created when an escalation opens', async () => {
    const conversationId = 'webhook-e2e-conversation-0001';
    await running.service.store.conversations.create({ id: conversationId, tokenHash: 'not-used-here', language: 'ar', languageChosen: true });
    const escalation = await running.service.escalations.open({
      conversationId,
      reason: 'requested',
      priority: 'normal',
      language: 'ar',
      intents: ['handoff.request'],
      entities: [],
    });
    await target.received(1);

    const [request] = target.requests;
    expect(request.headers['x-zemigra-event']).toBe('escalation.created');
    expect(verifyWebhookSignature(SECRET, request.headers['x-zemigra-timestamp'] as string, request.body, request.headers['x-zemigra-signature'] as string)).toBe(true);
    const payload = JSON.parse(request.body);
    expect(payload).toMatchObject({
      event: 'escalation.created',
      id: request.headers['x-zemigra-delivery'],
      data: { type: 'escalation.created', escalationId: escalation.id, status: 'queued', priority: 'normal', reason: 'requested', language: 'ar' },
    });
    // The conversation (the person's session id) never leaves the service.
    expect(request.body).not.toContain(conversationId);
  });
});
