import { AUTH_SECRET, caller, openEvents, quickAdvisor } from '../http/advisor-helpers';
import { postJson, startService, type RunningService } from '../helpers/service';
import { connect } from '../helpers/websocket';

/**
 * Handing a conversation to a person, as the person and the advisor live it: the triggers, what the
 * bot says (consent, office hours, public contacts), the callback with consent, the bot's silence
 * while an advisor owns the conversation, the live relay in both directions and the hand-back.
 */
const payloads = (body: { messages: { quickReplies: { payload: string }[] }[] }) => body.messages.flatMap((m) => m.quickReplies.map((q) => q.payload));
const texts = (body: { messages: { text: string }[] }) => body.messages.map((m) => m.text).join('\n');

describe('handover to an advisor (office open)', () => {
  let running: RunningService;
  let chat: (body: object) => Promise<{ status: number; body: any }>;
  let call: ReturnType<typeof caller>;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0', OFFICE_HOURS: 'always', AUTH_SECRET });
    chat = (body) => postJson(`${running.baseUrl}/api/v1/chat`, body);
    call = caller(running.baseUrl);
  });
  afterAll(() => running.close());

  it('escalates a request for a person in the same turn and says what the advisor will see', async () => {
    const { body } = await chat({ text: 'Ich möchte mit einem Menschen sprechen' });
    expect(body.intent.name).toBe('handoff.request');
    expect(body.escalation).toEqual({ id: expect.any(String), status: 'queued', priority: 'normal', reason: 'requested', createdAt: expect.any(String) });
    expect(texts(body)).toContain('Die Beratung sieht dieses Gespräch, Ihre Sprache und Ihre Themen.');
    // Nobody has the console open: honest about it, with the public services and a callback offer.
    expect(texts(body)).toContain('Gerade ist niemand aus der Beratung online');
    expect(texts(body)).toContain('Jugendmigrationsdienst');
    expect(payloads(body)).toContain('callback:offer');

    const again = await chat({ text: 'Bitte einen Berater!', sessionId: body.sessionId });
    expect(again.body.escalation.id).toBe(body.escalation.id);
    expect(texts(again.body)).toContain('Ihr Gespräch liegt schon bei unserer Beratung');
  });

  it('treats an emergency as urgent: the immediate contacts first, then the urgent handover', async () => {
    const { body } = await chat({ text: 'Mein Chef hat meinen Pass weggenommen und zahlt keinen Lohn, ich habe Angst' });
    expect(body.intent.name).toBe('escalation.urgent');
    expect(body.messages[0].text).toContain('110');
    expect(body.escalation).toMatchObject({ status: 'queued', priority: 'urgent', reason: 'urgent' });
    const { token } = await quickAdvisor(running.service.store, 'urgent-queue@zemigra.example');
    const queue = await call('GET', '/api/v1/escalations?status=queued', { token });
    expect(queue.body.escalations[0]).toMatchObject({ id: body.escalation.id, priority: 'urgent', language: 'de' });
  });

  it('tells someone waiting in the queue who writes "Hallo? Ist da jemand?" that the request stands', async () => {
    const asked = await chat({ text: 'Ich möchte mit einem Menschen sprechen' });
    expect(asked.body.escalation).toMatchObject({ status: 'queued' });
    const hello = await chat({ text: 'Hallo? Ist da jemand?', sessionId: asked.body.sessionId });
    expect(texts(hello.body)).toContain('schon bei unserer Beratung');
    expect(hello.body.escalation).toMatchObject({ id: asked.body.escalation.id, status: 'queued' });
    expect(texts(hello.body)).not.toContain('110');

    // Waiting with an emergency: the emergency contacts again, with the news that the request stands.
    const urgent = await chat({ text: 'Morgen werde ich abgeschoben, bitte helfen Sie mir' });
    expect(urgent.body.escalation).toMatchObject({ status: 'queued', priority: 'urgent' });
    const waiting = await chat({ text: 'Hallo? Ist da jemand?', sessionId: urgent.body.sessionId });
    expect(texts(waiting.body)).toContain('Polizei 110');
    expect(texts(waiting.body)).toContain('schon bei unserer Beratung');
    expect(texts(waiting.body)).not.toContain('$t(');
  });

  it('makes a waiting escalation urgent when an emergency follows the request for a person', async () => {
    const asked = await chat({ text: 'I want to talk to a human' });
    expect(asked.body.escalation).toMatchObject({ status: 'queued', priority: 'normal', reason: 'requested' });
    const urgent = await chat({ text: 'Actually it is urgent: the police are coming to deport me tomorrow', sessionId: asked.body.sessionId });
    expect(urgent.body.intent.name).toBe('escalation.urgent');
    expect(urgent.body.escalation).toMatchObject({ id: asked.body.escalation.id, status: 'queued', priority: 'urgent', reason: 'urgent' });

    // The queue shows why: the urgent intent, and a crisis term when there was one.
    const crisis = await chat({ text: 'Ich möchte mit einem Menschen reden' });
    await chat({ text: 'Ich will mich umbringen', sessionId: crisis.body.sessionId });
    const stored = await running.service.store.escalations.get(crisis.body.escalation.id);
    expect(stored).toMatchObject({ priority: 'urgent', intents: expect.arrayContaining(['escalation.urgent']), entities: expect.arrayContaining([expect.objectContaining({ type: 'crisis' })]) });
  });

  it('interrupts a guided dialog when the person asks for a person, in Arabic', async () => {
    const start = await chat({ text: 'guide:coaching-chain', language: 'ar' });
    const { body } = await chat({ text: 'أريد التحدث مع مستشار', sessionId: start.body.sessionId });
    expect(body.escalation).toMatchObject({ status: 'queued' });
    expect(texts(body)).toContain('سيرى المستشار هذه المحادثة');
    const after = await chat({ text: 'ما هي تكاليف الاعتراف؟', sessionId: start.body.sessionId });
    expect(after.body.intent.name).toBe('recognition.costs');
  });

  it('offers a person after two answers in a row that did not help, and escalates only when accepted', async () => {
    const first = await chat({ text: 'Wie wird das Wetter morgen in Stendal?' });
    expect(first.body.intent.name).toBe('out_of_scope');
    expect(payloads(first.body)).not.toContain('handoff:fallback');
    const second = await chat({ text: 'Welcher Fußballverein ist der beste?', sessionId: first.body.sessionId });
    expect(second.body.intent.name).toBe('out_of_scope');
    expect(texts(second.body)).toContain('Soll ich das Gespräch an die Beratung weitergeben?');
    expect(payloads(second.body)).toContain('handoff:fallback');
    expect(second.body.escalation).toBeNull();

    const accepted = await chat({ text: 'handoff:fallback', sessionId: first.body.sessionId });
    expect(accepted.body.escalation).toMatchObject({ status: 'queued', reason: 'fallback' });
  });

  it('takes a typed yes ("ja", "نعم") for the yes button of the offer, and a yes with nothing offered for no answer', async () => {
    for (const [yes, misses] of [['ja', ['Wie wird das Wetter morgen in Stendal?', 'Welcher Fußballverein ist der beste?']], ['نعم', ['كيف الطقس غدا؟', 'ما هو أفضل نادي كرة قدم؟']]] as const) {
      const first = await chat({ text: misses[0] });
      const nothingOffered = await chat({ text: yes, sessionId: first.body.sessionId });
      expect(nothingOffered.body.escalation).toBeNull();
      await chat({ text: misses[0], sessionId: first.body.sessionId });
      const second = await chat({ text: misses[1], sessionId: first.body.sessionId });
      expect(payloads(second.body)).toContain('handoff:fallback');
      const accepted = await chat({ text: yes, sessionId: first.body.sessionId });
      expect(accepted.body.intent.name).toBe('handoff.request');
      expect(accepted.body.escalation).toMatchObject({ status: 'queued', reason: 'fallback' });
    }
  });

  it('asks before handing over when the wish for a person is unsure, and hands over on yes', async () => {
    const unsure = await chat({ text: 'ich will reden' });
    expect(unsure.body.intent).toMatchObject({ name: 'handoff.request' });
    expect(unsure.body.intent.confidence).toBeLessThan(0.5);
    expect(unsure.body.escalation).toBeNull();
    expect(texts(unsure.body)).toContain('Soll ich das Gespräch an die Beratung weitergeben?');
    expect(texts(unsure.body)).not.toContain('Dabei konnte ich Ihnen nicht helfen');
    expect(payloads(unsure.body)).toContain('handoff:requested');
    const accepted = await chat({ text: 'ja', sessionId: unsure.body.sessionId });
    expect(accepted.body.escalation).toMatchObject({ status: 'queued', reason: 'requested' });

    // Sure of it, or pressed: at once.
    const sure = await chat({ text: 'Ich möchte mit einem Menschen sprechen' });
    expect(sure.body.intent.confidence).toBeGreaterThanOrEqual(0.5);
    expect(sure.body.escalation).toMatchObject({ status: 'queued', reason: 'requested' });
  });

  it('asks "did this help?" under knowledge answers; "not helpful" offers a person, "helpful" thanks', async () => {
    const answer = await chat({ text: 'How long does recognition take?' });
    expect(payloads(answer.body)).toEqual(expect.arrayContaining(['feedback:helpful', 'feedback:unhelpful']));
    const helpful = await chat({ text: 'feedback:helpful', sessionId: answer.body.sessionId });
    expect(helpful.body.intent.name).toBe('thanks');
    expect(helpful.body.escalation).toBeNull();

    const unhelpful = await chat({ text: 'feedback:unhelpful', sessionId: answer.body.sessionId });
    expect(texts(unhelpful.body)).toContain('Sorry that this did not help.');
    expect(texts(unhelpful.body)).not.toContain('I could not help you');
    expect(unhelpful.body.escalation).toBeNull();
    const accepted = await chat({ text: 'handoff:feedback', sessionId: answer.body.sessionId });
    expect(accepted.body.escalation).toMatchObject({ status: 'queued', reason: 'feedback' });
  });

  it('reads a bare "no", "keine" or "не знаю" as no emergency and no request, and a typed no to the callback question as its no button', async () => {
    for (const text of ['no', 'nein', 'keinen', 'weiß nicht', 'ні', 'не знаю', 'نه', 'لا']) {
      const { body } = await chat({ text });
      expect({ text, intent: body.intent.name, escalation: body.escalation }).toEqual({ text, intent: 'out_of_scope', escalation: null });
    }
    const answer = await chat({ text: 'Was kostet die Anerkennung?' });
    const ok = await chat({ text: 'ok', sessionId: answer.body.sessionId });
    expect(texts(ok.body)).toContain('In Ordnung. Wobei kann ich Ihnen noch helfen?');
    expect(texts(ok.body)).not.toContain('Auf Wiedersehen');

    const request = await chat({ text: 'Ich möchte mit einem Menschen sprechen' });
    await chat({ text: 'callback:offer', sessionId: request.body.sessionId });
    const declined = await chat({ text: 'nein', sessionId: request.body.sessionId });
    expect(texts(declined.body)).toContain('kein Rückruf');
    expect(declined.body.escalation).toMatchObject({ status: 'queued' });
  });

  it('takes a number in a sentence, also typed at the consent question as its yes, and keeps it out of the transcript', async () => {
    const request = await chat({ text: 'Ich möchte mit einem Menschen sprechen' });
    const sessionId = request.body.sessionId;
    await chat({ text: 'callback:offer', sessionId });
    const atConsent = await chat({ text: 'meine Nummer ist 0176 1234567', sessionId });
    expect(atConsent.body.escalation).toMatchObject({ id: request.body.escalation.id, status: 'callback' });
    expect(texts(atConsent.body)).toContain('••567');

    const other = await chat({ text: 'I want to talk to a real person' });
    await chat({ text: 'callback:offer', sessionId: other.body.sessionId });
    await chat({ text: 'callback:agree', sessionId: other.body.sessionId });
    const inSentence = await chat({ text: 'Tel. 0391/123456, best in the morning', sessionId: other.body.sessionId });
    expect(inSentence.body.escalation).toMatchObject({ status: 'callback' });

    for (const id of [sessionId, other.body.sessionId]) {
      const transcript = (await running.service.store.conversations.listMessages(id, 0, 100)).map((m) => m.text).join('\n');
      expect(transcript).not.toMatch(/1234567|123456/);
    }
  });

  it('answers a callback contact in the language of the conversation, not in the language its letters look like', async () => {
    const request = await chat({ text: 'أريد التحدث مع مستشار من فضلك' });
    const sessionId = request.body.sessionId;
    await chat({ text: 'callback:offer', sessionId });
    await chat({ text: 'callback:agree', sessionId });
    const saved = await chat({ text: 'ahmad.h@gmail.com', sessionId });
    expect(saved.body.escalation).toMatchObject({ status: 'callback' });
    expect(saved.body.language).toBe('ar');
    const after = await chat({ text: 'ok', sessionId });
    expect(after.body.language).toBe('ar');
  });

  it('takes a callback contact only with consent, keeps it out of the transcript, and deletes it when resolved', async () => {
    const request = await chat({ text: 'I want to talk to a real person' });
    const sessionId = request.body.sessionId;
    const offer = await chat({ text: 'callback:offer', sessionId });
    expect(texts(offer.body)).toContain('Do you agree?');
    expect(payloads(offer.body)).toEqual(['callback:agree', 'callback:decline']);

    const declined = await chat({ text: 'callback:decline', sessionId });
    expect(texts(declined.body)).toContain('no callback');
    expect(declined.body.escalation.status).toBe('queued');

    await chat({ text: 'callback:offer', sessionId });
    const agreed = await chat({ text: 'callback:agree', sessionId });
    expect(texts(agreed.body)).toContain('phone number or e-mail');
    const unreadable = await chat({ text: 'tomorrow morning', sessionId });
    expect(texts(unreadable.body)).toContain('could not read');
    const saved = await chat({ text: '+49 391 555 0101', sessionId });
    // Repeated masked, so the person can check the end and the transcript keeps no number.
    expect(texts(saved.body)).toContain('+•• ••• ••• •101');
    expect(saved.body.escalation).toMatchObject({ id: request.body.escalation.id, status: 'callback' });

    // The number is on the escalation for the advisor, not in the transcript.
    const messages = await running.service.store.conversations.listMessages(sessionId, 0, 100);
    expect(messages.map((m) => m.text).join('\n')).not.toContain('555 0101');
    const { token } = await quickAdvisor(running.service.store, 'callbacks@zemigra.example');
    const callbacks = await call('GET', '/api/v1/escalations?status=callback', { token });
    expect(callbacks.body.escalations.map((e: { id: string }) => e.id)).toContain(request.body.escalation.id);
    const detail = await call('GET', `/api/v1/escalations/${request.body.escalation.id}`, { token });
    expect(detail.body.escalation.callbackContact).toEqual({ kind: 'phone', value: '+49 391 555 0101' });

    expect((await call('POST', `/api/v1/escalations/${request.body.escalation.id}/resolve`, { token })).status).toBe(200);
    expect((await running.service.store.escalations.get(request.body.escalation.id))?.callbackContact).toBeUndefined();
    const after = await chat({ text: 'What does recognition cost?', sessionId });
    expect(after.body.escalation).toBeNull();
    expect(after.body.intent.name).toBe('recognition.costs');
  });

  it('relays live over the websocket both ways while an advisor owns the conversation, then hands back', async () => {
    const { token, advisor } = await quickAdvisor(running.service.store, 'relay@zemigra.example');
    const events = await openEvents(running.baseUrl, token);
    expect(events.status).toBe(200);
    try {
      const person = await connect(running.baseUrl.replace('http', 'ws'));
      const sessionId = `relay-${Date.now()}`;
      person.ws.send(JSON.stringify({ type: 'message', user: sessionId, text: 'Я хочу поговорити з людиною', language: 'uk' }));
      const handed = await person.next((m) => m.type === 'message');
      // Someone has the console open now: the person hears that an advisor will answer here.
      expect(handed.text).toContain('Консультант відповість вам тут');
      const created = await events.waitFor((e) => e.event === 'escalation.created');
      const escalationId = created.data.escalationId;
      expect(created.data).toMatchObject({ status: 'queued', language: 'uk', reason: 'requested' });

      expect((await call('POST', `/api/v1/escalations/${escalationId}/claim`, { token })).status).toBe(200);
      // Before the advisor's first words, the person learns that a person has taken over.
      const takenOver = await person.next((m) => m.type === 'message' && m.role === 'bot');
      expect(takenOver.text).toContain('Консультант узяв вашу розмову');
      expect(takenOver.escalation).toMatchObject({ id: escalationId, status: 'assigned' });
      expect((await call('POST', `/api/v1/escalations/${escalationId}/messages`, { token, body: { text: 'Добрий день, я Анна з ZEMIGRA.' } })).status).toBe(201);
      const live = await person.next((m) => m.role === 'advisor');
      expect(live.text).toBe('Добрий день, я Анна з ZEMIGRA.');

      person.ws.send(JSON.stringify({ type: 'message', user: sessionId, text: 'Дякую! У мене диплом медсестри.' }));
      const wrote = await events.waitFor((e) => e.event === 'escalation.message' && e.data.role === 'user' && e.data.escalationId === escalationId);
      expect(JSON.stringify(wrote)).not.toContain('медсестри');
      const detail = await call('GET', `/api/v1/escalations/${escalationId}`, { token });
      expect(detail.body.transcript.map((l: { text: string }) => l.text)).toContain('Дякую! У мене диплом медсестри.');
      // The bot stayed silent: the last line is the person's, not a bot answer about nurses.
      expect(detail.body.transcript[detail.body.transcript.length - 1].role).toBe('user');

      expect((await call('POST', `/api/v1/escalations/${escalationId}/return-to-bot`, { token })).status).toBe(200);
      const back = await person.next((m) => m.type === 'message' && m.role === 'bot');
      expect(back.text).toContain('повернув розмову мені');
      await events.waitFor((e) => e.event === 'escalation.updated' && e.data.status === 'returned' && e.data.advisorId === advisor.id);

      person.ws.send(JSON.stringify({ type: 'message', user: sessionId, text: 'Скільки коштує визнання?' }));
      const answer = await person.next((m) => m.type === 'message');
      expect(answer.text.length).toBeGreaterThan(20);
      person.ws.close();
    } finally {
      await events.close();
    }
  });

  it('lets only advisors read the event stream', async () => {
    expect((await fetch(`${running.baseUrl}/api/v1/advisor/events`)).status).toBe(401);
    expect((await fetch(`${running.baseUrl}/api/v1/advisor/events`, { headers: { authorization: 'Bearer forged.token' } })).status).toBe(401);
  });
});

describe('handover outside office hours', () => {
  let running: RunningService;
  beforeAll(async () => {
    // A one-hour window on a weekday other than today (Berlin): closed whenever the test runs.
    const today = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short' }).format(new Date());
    const day = today === 'Mon' ? 'Tue' : 'Mon';
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0', OFFICE_HOURS: `${day} 08:00-09:00` });
  });
  afterAll(() => running.close());

  it('says honestly that nobody is there, with the office hours, public contacts and a callback offer', async () => {
    const { body } = await postJson(`${running.baseUrl}/api/v1/chat`, { text: 'Можно поговорить с консультантом?' });
    expect(body.language).toBe('ru');
    expect(texts(body)).toContain('Наши консультанты сейчас недоступны');
    expect(texts(body)).toContain('08:00–09:00');
    expect(texts(body)).toContain('Jugendmigrationsdienst');
    expect(payloads(body)).toContain('callback:offer');
    // The request is kept: an advisor answers in the chat when the office opens.
    expect(body.escalation).toMatchObject({ status: 'queued' });
  });
});
