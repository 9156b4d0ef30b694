import { postJson, startService, type RunningService } from '../helpers/service';

describe('POST /api/v1/chat (contract)', () => {
  let running: RunningService;
  let url: string;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    url = `${running.baseUrl}/api/v1/chat`;
  });
  afterAll(() => running.close());

  it('answers a German recognition question with intent, language, messages and sources', async () => {
    const { status, body } = await postJson(url, { text: 'Wie viel kostet die Anerkennung meines Abschlusses?' });
    expect(status).toBe(200);
    expect(body.sessionId).toMatch(/^[A-Za-z0-9_-]{8,128}$/);
    expect(typeof body.sessionToken).toBe('string');
    expect(body.language).toBe('de');
    expect(body.intent).toEqual({ name: 'recognition.costs', confidence: expect.any(Number) });
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages[0].text.length).toBeGreaterThan(20);
    expect(body.sources.length).toBeGreaterThan(0);
    for (const source of body.sources) expect(source.url).toMatch(/^https?:\/\//);
    expect(body.escalation).toBeNull();
  });

  it('continues a session and keeps an explicit language choice for it', async () => {
    const first = await postJson(url, { text: 'Hallo', language: 'uk' });
    expect(first.body.language).toBe('uk');
    const second = await postJson(url, { text: 'Wie lange dauert die Anerkennung?', sessionId: first.body.sessionId });
    expect(second.status).toBe(200);
    expect(second.body.sessionId).toBe(first.body.sessionId);
    expect(second.body.language).toBe('uk');
    expect(second.body.sessionToken).toBeUndefined();
  });

  it('answers in the language the person writes in', async () => {
    const cases: [string, string][] = [
      ['How long does the recognition of my nursing diploma take?', 'en'],
      ['كم تستغرق معادلة شهادتي في ألمانيا؟', 'ar'],
      ['Скільки часу триває визнання мого диплома?', 'uk'],
      ['Сколько времени занимает признание моего диплома?', 'ru'],
      ['شناسایی مدرک من در آلمان چقدر طول می‌کشد؟', 'fa'],
    ];
    for (const [text, language] of cases) {
      const { body } = await postJson(url, { text });
      expect({ text, language: body.language }).toEqual({ text, language });
    }
  });

  it('keeps the session language for a short message such as "ok"', async () => {
    const first = await postJson(url, { text: 'Ich suche einen Deutschkurs in Magdeburg' });
    const second = await postJson(url, { text: 'ok', sessionId: first.body.sessionId });
    expect(second.body.language).toBe('de');
  });

  it('returns entities with canonical values and the words as written', async () => {
    const { body } = await postJson(url, { text: 'Ich bin Krankenschwester aus Syrien und wohne in Halle. Wer ist für meine Anerkennung zuständig?' });
    expect(body.entities).toEqual(
      expect.arrayContaining([
        { type: 'profession', value: 'nurse', text: expect.any(String) },
        { type: 'country', value: 'sy', text: expect.any(String) },
        { type: 'place', value: 'halle', text: 'Halle' },
      ]),
    );
  });

  it('says honestly when it does not understand, and offers a way on', async () => {
    const { body } = await postJson(url, { text: 'Wer hat gestern das Fußballspiel gewonnen?' });
    expect(body.intent.name).toBe('out_of_scope');
    expect(body.messages[0].quickReplies.length).toBeGreaterThan(0);
  });

  it.each(['article', 'intent', 'guide', 'profession', 'handoff', 'callback', 'feedback'].flatMap((kind) => ['__proto__', 'constructor', 'tostring', 'foo.bar'].map((value) => `${kind}:${value}`)))(
    'answers a made-up button payload "%s" like any message it does not understand',
    async (text) => {
      const { status, body } = await postJson(url, { text });
      expect(status).toBe(200);
      expect(['out_of_scope', 'recognition.authority']).toContain(body.intent.name);
      expect(body.escalation).toBeNull();
      const answer = body.messages.map((m: { text: string }) => m.text).join('\n');
      expect(answer).not.toMatch(/native code|returned an object|undefined|\[object/);
    },
    10_000,
  );

  describe('refuses bad input with the contract errors, never a 5xx', () => {
    const expectError = (response: { status: number; body: any }, status: number) => {
      expect(response.status).toBe(status);
      expect(response.body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    };

    it.each([
      ['missing text', {}],
      ['empty text', { text: '   ' }],
      ['too long text', { text: 'a'.repeat(2001) }],
      ['text of the wrong type', { text: 42 }],
      ['an operator object as text', { text: { $gt: '' } }],
      ['an unknown language', { text: 'Hallo', language: 'xx' }],
      ['a malformed session id', { text: 'Hallo', sessionId: '../../etc' }],
      ['a session id object', { text: 'Hallo', sessionId: { $ne: null } }],
      ['an array body', [1, 2]],
      ['unknown fields', { text: 'Hallo', admin: true }],
    ])('400 for %s', async (_name, payload) => {
      const response = await postJson(url, payload);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toMatch(/^invalid_/);
    });

    it('400 for malformed JSON', async () => expectError(await postJson(url, '{"text": "Hallo"'), 400));
    it('413 for a body over 16 KiB', async () => expectError(await postJson(url, { text: 'x'.repeat(17 * 1024) }), 413));
    it('415 for a body that is not JSON', async () => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'Hallo' });
      expectError({ status: response.status, body: (await response.json()) as any }, 415);
    });
    it('404 JSON for an unknown route', async () => {
      const response = await fetch(`${running.baseUrl}/api/v1/nothing`);
      expectError({ status: response.status, body: (await response.json()) as any }, 404);
    });
  });
});

describe('rate limit', () => {
  it('answers 429 with Retry-After once the per-minute limit is used up', async () => {
    const running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '2' });
    try {
      const url = `${running.baseUrl}/api/v1/chat`;
      await postJson(url, { text: 'Hallo' });
      await postJson(url, { text: 'Hallo' });
      const limited = await postJson(url, { text: 'Hallo' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.body.error.code).toBe('rate_limited');
    } finally {
      await running.close();
    }
  });
});
