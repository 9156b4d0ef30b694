import { postJson, startService, type RunningService } from '../helpers/service';

/** Whole conversations through the public chat API, like a person would have them. */
describe('conversations', () => {
  let running: RunningService;
  let url: string;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    url = `${running.baseUrl}/api/v1/chat`;
  });
  afterAll(() => running.close());

  it('asks back for the profession, then names the competent body', async () => {
    const ask = await postJson(url, { text: 'Welche Stelle ist für meine Anerkennung zuständig?' });
    expect(ask.body.intent.name).toBe('recognition.authority');
    expect(ask.body.messages[0].quickReplies.map((q: { payload: string }) => q.payload)).toContain('profession:nurse');

    const answer = await postJson(url, { text: 'Elektriker', sessionId: ask.body.sessionId });
    expect(answer.body.entities).toEqual([expect.objectContaining({ type: 'profession', value: 'electrician' })]);
    expect(answer.body.messages[0].text).toContain('Handwerkskammer');
    expect(answer.body.sources.length).toBeGreaterThan(0);
  });

  it('answers the first of two questions in one message and offers the second as the first button', async () => {
    for (const text of ['How long does recognition take and what does it cost?', 'Wie lange dauert die Anerkennung und was kostet sie?']) {
      const { body } = await postJson(url, { text });
      expect(body.intent.name).toBe('recognition.duration');
      expect(body.messages[0].quickReplies[0].payload).toBe('article:recognition-costs');
    }
  });

  it('offers no second answer when the message asks one thing', async () => {
    const { body } = await postJson(url, { text: 'Was kostet die Anerkennung?' });
    expect(body.intent.name).toBe('recognition.costs');
    expect(body.messages[0].quickReplies[0].payload).not.toBe('article:recognition-duration');
  });

  it('answers a profession question at once when the profession is named, in Arabic', async () => {
    const { body } = await postJson(url, { text: 'أنا ممرضة من سوريا، من المسؤول عن الاعتراف بشهادتي؟' });
    expect(body.language).toBe('ar');
    expect(body.messages[0].text).toContain('Landesverwaltungsamt');
  });

  it('answers a bare statement of a profession with the recognition card, in Ukrainian', async () => {
    const { body } = await postJson(url, { text: 'Я медсестра з України' });
    expect(body.language).toBe('uk');
    expect(['recognition.authority', 'recognition.need']).toContain(body.intent.name);
    expect(body.messages[0].text).toContain('Landesverwaltungsamt');
  });

  it('lets "talk to a human" interrupt a dialog and says honestly what is possible', async () => {
    const ask = await postJson(url, { text: 'Who is responsible for recognising my degree?' });
    const human = await postJson(url, { text: 'I want to talk to a real person', sessionId: ask.body.sessionId });
    expect(human.body.intent.name).toBe('handoff.request');
    expect(human.body.messages[0].text).toMatch(/Jugendmigrationsdienst|JMD/);
    const next = await postJson(url, { text: 'What does recognition cost?', sessionId: ask.body.sessionId });
    expect(next.body.intent.name).toBe('recognition.costs');
  });

  it('gives immediate contacts for urgent messages in the person\'s language', async () => {
    const { body } = await postJson(url, { text: 'Мене завтра депортують, що робити?' });
    expect(body.intent.name).toBe('escalation.urgent');
    expect(body.language).toBe('uk');
    expect(body.messages[0].text).toContain('110');
  });

  it('answers "I need help" with what it can do, the topics and the way to an advisor', async () => {
    for (const text of ['ich bräuchte Hilfe', 'мне очень нужна помощь']) {
      const { body } = await postJson(url, { text });
      expect(body.intent.name).toBe('bot.capabilities');
      expect(body.escalation).toBeNull();
      const payloads = body.messages[0].quickReplies.map((q: { payload: string }) => q.payload);
      expect(payloads).toEqual(expect.arrayContaining(['intent:recognition.need', 'intent:handoff.request']));
    }
  });

  it('opens no escalation for a message of filler words only, and says it did not understand', async () => {
    for (const text of ['und und und', 'and and and and', 'و و و']) {
      const { body } = await postJson(url, { text });
      expect(body.intent.name).toBe('out_of_scope');
      expect(body.escalation).toBeNull();
      expect(body.messages[0].text).not.toContain('110');
    }
  });

  it('treats thoughts of suicide or violence as urgent even inside a question about training', async () => {
    for (const text of ['ich hab so angst vor der prüfung in der ausbildung, ich will sterben', 'i feel so stressed about my exams i want to die', 'mein ausbilder hat mich geschlagen']) {
      const { body } = await postJson(url, { text });
      expect(body.intent.name).toBe('escalation.urgent');
      expect(body.escalation).toMatchObject({ status: 'queued', priority: 'urgent' });
      expect(body.messages[0].text).toContain('110');
    }
  });

  it('answers an understood dialect question with its article, not with "I did not understand"', async () => {
    for (const [text, intent] of [['شو الاوراق المطلوبة', 'recognition.documents'], ['بدي اتعلم الماني', 'language.courses']]) {
      const { body } = await postJson(url, { text });
      expect(body.intent.name).toBe(intent);
      expect(body.sources.length).toBeGreaterThan(0);
    }
  });

  it('names the retention period when asked what happens with the data', async () => {
    const { body } = await postJson(url, { text: 'Was passiert mit meinen Daten in diesem Chat?' });
    expect(body.intent.name).toBe('privacy');
    expect(body.messages[0].text).toContain('Nach 90 Tagen ohne neue Nachricht');
  });

  it('follows a quick reply to a related article', async () => {
    const first = await postJson(url, { text: 'Wie viel kostet die Anerkennung?' });
    const related = first.body.messages[0].quickReplies.find((q: { payload: string }) => q.payload.startsWith('article:'));
    expect(related).toBeDefined();
    const followed = await postJson(url, { text: related.payload, sessionId: first.body.sessionId });
    expect(followed.body.language).toBe('de');
    expect(followed.body.messages[0].text).toContain(related.title);
  });

  it('takes a typed button label for the button under the last answer, and the same words later for a question', async () => {
    type Button = { title: string; payload: string };
    const buttonsOf = (body: { messages: { quickReplies: Button[] }[] }) => body.messages.flatMap((m) => m.quickReplies);
    const menu = await postJson(url, { text: 'Hallo' });
    for (const button of buttonsOf(menu.body).filter((b) => !b.payload.startsWith('lang:'))) {
      const pressed = await postJson(url, { text: button.payload, language: 'de' });
      const opening = await postJson(url, { text: 'Hallo' });
      // Typed as people type: lower case, without the brackets and the final full stop.
      const typed = await postJson(url, { text: button.title.toLowerCase().replace(/[().]/g, ''), sessionId: opening.body.sessionId });
      expect({ button: button.title, intent: typed.body.intent.name, first: typed.body.messages[0].text }).toEqual({ button: button.title, intent: pressed.body.intent.name, first: pressed.body.messages[0].text });
    }
    // Two answers later the label is no button any more: the words are understood as they stand.
    const opening = await postJson(url, { text: 'Hallo' });
    const plan = buttonsOf(opening.body).find((b) => b.payload.startsWith('guide:'))!;
    await postJson(url, { text: 'Was kostet die Anerkennung?', sessionId: opening.body.sessionId });
    const later = await postJson(url, { text: plan.title, sessionId: opening.body.sessionId });
    expect(later.body.messages[0].text).not.toBe((await postJson(url, { text: plan.payload, language: 'de' })).body.messages[0].text);
  });

  it('answers "what does it cost?", "where do I apply?" about the topic asked before, not about recognition', async () => {
    const cases: [string, string[], string][] = [
      ['bekomme ich BAB?', ['wo beantrage ich das?'], 'training.funding'],
      ['Ich will einen Integrationskurs machen', ['Was kostet das?', 'danke', 'und wie lange dauert das?'], 'language.courses'],
      ['how can I hire a nurse from abroad?', ['how long does it take?'], 'employer.hire_abroad'],
      ['Was ist ein Berufssprachkurs?', ['Скільки це коштує?'], 'language.courses'],
    ];
    for (const [first, followUps, topic] of cases) {
      const asked = await postJson(url, { text: first });
      expect(asked.body.intent.name).toBe(topic);
      for (const text of followUps) {
        const { body } = await postJson(url, { text, sessionId: asked.body.sessionId });
        if (text === 'danke') continue;
        expect({ text, intent: body.intent.name }).toEqual({ text, intent: topic });
        expect(body.sources.length).toBeGreaterThan(0);
      }
    }
  });

  it('answers an aspect question within the same topic, and on its own, as the classifier reads it', async () => {
    const nurse = await postJson(url, { text: 'Ich bin Krankenpfleger' });
    const cost = await postJson(url, { text: 'Was kostet das?', sessionId: nurse.body.sessionId });
    expect(cost.body.intent.name).toBe('recognition.costs');
    const alone = await postJson(url, { text: 'Was kostet das?' });
    expect(alone.body.intent.name).toBe('recognition.costs');
    // A topic of its own is no follow-up.
    const bab = await postJson(url, { text: 'bekomme ich BAB?' });
    const recognition = await postJson(url, { text: 'Was kostet die Anerkennung?', sessionId: bab.body.sessionId });
    expect(recognition.body.intent.name).toBe('recognition.costs');
  });

  it('answers a hello that names a profession with the card for it, not with the first greeting', async () => {
    for (const [text, profession] of [['hallo ich friseur aus türkei', 'hairdresser'], ['سلام من معلم هستم', 'teacher']]) {
      const { body } = await postJson(url, { text });
      expect({ text, entities: body.entities.map((e: { value: string }) => e.value) }).toEqual({ text, entities: expect.arrayContaining([profession]) });
      expect(body.intent.name).toBe('recognition.authority');
      expect(body.sources.length).toBeGreaterThan(0);
    }
  });

  it('asks back with quick replies when a profession name fits several professions', async () => {
    const { body } = await postJson(url, { text: 'Ich bin Mechaniker, wer erkennt meinen Abschluss an?' });
    expect(body.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'ambiguous_profession', value: 'mechanic' })]));
    const choices = body.messages[0].quickReplies.map((q: { payload: string }) => q.payload);
    expect(choices).toEqual(expect.arrayContaining(['profession:car-mechatronic', 'profession:industrial-mechanic']));
    const chosen = await postJson(url, { text: 'profession:car-mechatronic', sessionId: body.sessionId });
    expect(chosen.body.messages[0].text).toContain('Handwerkskammer');
  });

  it('says honestly when it does not know the profession it asked for, and points to the official finder', async () => {
    const ask = await postJson(url, { text: 'Which office recognises my qualification?' });
    const unknown = await postJson(url, { text: 'beekeeper', sessionId: ask.body.sessionId });
    expect(unknown.body.messages[0].text).toContain('Anerkennungs-Finder');
    expect(unknown.body.sources.map((s: { url: string }) => s.url)).toContain('https://zab.kmk.org/de/reglementierte-berufe');
    expect(unknown.body.messages[0].quickReplies.map((q: { payload: string }) => q.payload)).toContain('profession:nurse');
  });
});
