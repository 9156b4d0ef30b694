import { postJson, startService, type RunningService } from '../helpers/service';
import { connect } from '../helpers/websocket';

type Body = { sessionId: string; sessionToken?: string; language: string; intent: { name: string }; messages: { text: string; quickReplies: { title: string; payload: string }[] }[]; sources: { url: string }[] };

const LANGUAGES = ['de', 'en', 'ar', 'uk', 'ru', 'fa'] as const;
/** A letter typical of each language's script, to see that a text is written in it. */
const SCRIPT: Record<(typeof LANGUAGES)[number], RegExp> = { de: /[a-zäöü]/i, en: /[a-z]/i, ar: /[\u0600-\u06ff]/, uk: /[іїєґ]/i, ru: /[ыэъ]/i, fa: /[پچژگک]/ };

/** The guided dialogs through the public chat API and the websocket, as a person would use them. */
describe('guided dialogs', () => {
  let running: RunningService;
  let url: string;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    url = `${running.baseUrl}/api/v1/chat`;
  });
  afterAll(() => running.close());

  const say = async (text: string, sessionId?: string, language?: string): Promise<Body> => {
    const response = await postJson(url, { text, sessionId, language });
    expect(response.status).toBe(200);
    return response.body as Body;
  };
  const payloads = (body: Body) => body.messages[0].quickReplies.map((q) => q.payload);
  /** Answers every question with the first option whose payload matches, else the first option. */
  const clickThrough = async (first: Body, prefer: RegExp[] = []): Promise<{ turns: number; last: Body }> => {
    let body = first;
    let turns = 0;
    while (payloads(body).some((p) => /^guide:[a-z-]+\.[a-z]+\.[a-z0-9-]+$/.test(p)) && turns < 10) {
      const options = payloads(body).filter((p) => /^guide:/.test(p) && !p.endsWith('.skip'));
      const choice = options.find((p) => prefer.some((r) => r.test(p))) ?? options[0];
      body = await say(choice, body.sessionId);
      turns++;
    }
    return { turns, last: body };
  };

  it('offers the personal plan under a coaching answer and completes it in a handful of turns (free text and buttons)', async () => {
    const question = await say('What support is there for young migrants who want an apprenticeship?');
    expect(payloads(question)).toContain('guide:coaching-chain');

    const start = await say('guide:coaching-chain', question.sessionId);
    expect(start.messages[0].text).toContain('How old are you?');
    // One free-text message answers three questions: age by number, status and German level by entities.
    const next = await say('I am 19, I have a Duldung and my German is B1', start.sessionId);
    expect(next.intent.name).toBe('coaching.offers');
    expect(next.messages[0].text).toContain('Which qualification');
    const goal = await say('school certificate', start.sessionId);
    const plan = await say('apprenticeship', goal.sessionId);
    const text = plan.messages[0].text;
    expect(text).toMatch(/Jugendmigrationsdienst/);
    expect(text).toMatch(/Ausbildungsduldung/);
    expect(text).toMatch(/Berufssprachkurs/);
    expect(text).not.toMatch(/Migrationsberatung für erwachsene/);
    expect(text).toMatch(/\*\*Next step:\*\*/);
    expect(plan.sources.length).toBeGreaterThan(3);
    expect(payloads(plan)).toEqual(expect.arrayContaining(['guide:coaching-chain', 'intent:handoff.request']));
  });

  it('lets every question be skipped and says that the plan is broader then', async () => {
    let body = await say('guide:coaching-chain', undefined, 'de');
    body = await say('überspringen', body.sessionId);
    for (let i = 0; i < 10 && payloads(body).some((p) => p.endsWith('.skip')); i++) {
      body = await say(payloads(body).find((p) => p.endsWith('.skip'))!, body.sessionId);
    }
    expect(body.messages[0].text).toContain('übersprungen');
    expect(body.messages[0].text).toContain('Jugendmigrationsdienst');
    expect(body.messages[0].text).toContain('Migrationsberatung');
  });

  it('asks again once after an answer it cannot read, then moves on instead of trapping the person', async () => {
    const start = await say('guide:employer-check', undefined, 'de');
    const retry = await say('blau', start.sessionId);
    expect(retry.messages[0].text).toContain('nicht verstanden');
    expect(retry.messages[0].text).toContain('Wo lebt die Person');
    const moved = await say('grün', start.sessionId);
    expect(moved.messages[0].text).toContain('Welchen Abschluss');
  });

  it('keeps the guide for a typed answer the NLU only guesses at ("Vietnam", "nurse"), instead of answering another topic', async () => {
    const start = await say('guide:employer-check', undefined, 'en');
    const abroad = await say('abroad', start.sessionId);
    expect(abroad.messages[0].text).toContain('Which country');
    for (const shaky of ['Vietnam', 'nurse']) {
      const body = await say(shaky, start.sessionId);
      expect({ shaky, intent: body.intent.name, guide: payloads(body).some((p) => p.startsWith('guide:employer-check.')) }).toEqual({ shaky, intent: 'employer.hire_abroad', guide: true });
    }
  });

  it('reads a residence status or a place in Sachsen-Anhalt as "already lives in Germany" in the employer check', async () => {
    const duldung = await say('guide:employer-check', undefined, 'de');
    const next = await say('Er hat eine Duldung', duldung.sessionId);
    // Both questions answered at once (where, and the status): on to the qualification.
    expect(payloads(next).some((p) => p.startsWith('guide:employer-check.qualification.'))).toBe(true);
    const halle = await say('guide:employer-check', undefined, 'de');
    const status = await say('Er kommt aus Syrien und wohnt in Halle', halle.sessionId);
    expect(payloads(status).some((p) => p.startsWith('guide:employer-check.status.'))).toBe(true);
  });

  it('leaves the guide for a different question and answers it', async () => {
    const start = await say('guide:coaching-chain', undefined, 'de');
    const other = await say('Wie viel kostet die Anerkennung?', start.sessionId);
    expect(other.intent.name).toBe('recognition.costs');
    expect(other.messages[0].text).toContain('600');
    // The guide is over: a plain "B1" is no longer read as an answer to it.
    const after = await say('Danke!', start.sessionId);
    expect(after.intent.name).toBe('thanks');
  });

  it('lets "talk to a human" interrupt a guide', async () => {
    const start = await say('guide:employer-check', undefined, 'en');
    const human = await say('I want to talk to a human advisor', start.sessionId);
    expect(human.intent.name).toBe('handoff.request');
    const after = await say('guide:employer-check.job.helper', start.sessionId);
    // A button of the abandoned guide starts it again with that answer.
    expect(after.messages[0].text).toContain('Where does the person live');
  });

  it('gives an employer hiring a graduate from abroad the route, the duties and the support, with sources', async () => {
    const start = await say('How can I hire a software developer from India?');
    expect(payloads(start)).toContain('guide:employer-check');
    const { turns, last } = await clickThrough(await say('guide:employer-check', start.sessionId), [/candidate\.abroad/, /origin\.other/, /qualification\.degree/, /recognised\.yes/, /job\.skilled/]);
    expect(turns).toBe(5);
    const text = last.messages[0].text;
    expect(text).toContain('§ 18b');
    expect(text).toContain('411');
    expect(text).toContain('4 ');
    expect(text).toContain('0800 4 5555 20');
    expect(last.sources.map((s) => s.url)).toEqual(expect.arrayContaining(['https://anhalt-bitterfeld.de/de/amt-fuer-auslaenderangelegenheiten/das-beschleunigte-fachkraefteverfahren.html']));
  });

  it.each(LANGUAGES)('runs both guides to the end in %s, every question and the plan in that language', async (language) => {
    for (const guide of ['coaching-chain', 'employer-check']) {
      const first = await say(`guide:${guide}`, undefined, language);
      expect(first.language).toBe(language);
      expect(first.messages[0].text).toMatch(SCRIPT[language]);
      const { turns, last } = await clickThrough(first);
      expect(turns).toBeGreaterThanOrEqual(3);
      expect(turns).toBeLessThanOrEqual(5);
      expect(last.language).toBe(language);
      expect(last.messages[0].text).toMatch(SCRIPT[language]);
      expect(last.sources.length).toBeGreaterThan(0);
    }
  });

  it('continues a guide after a websocket reconnect', async () => {
    const started = await say('guide:coaching-chain', undefined, 'en');
    const session = { user: started.sessionId, token: started.sessionToken };
    const first = await connect(running.baseUrl.replace('http', 'ws'));
    first.ws.send(JSON.stringify({ type: 'message', ...session, text: '22' }));
    expect((await first.next((m) => m.type === 'message')).text).toContain('residence status');
    first.ws.close();

    const second = await connect(running.baseUrl.replace('http', 'ws'));
    second.ws.send(JSON.stringify({ type: 'message', ...session, text: 'I have a residence permit' }));
    expect((await second.next((m) => m.type === 'message')).text).toContain('How good is your German');
    second.ws.close();
  });
});

describe('guided dialogs across a restart', () => {
  it('continues where the person left off after the process restarts', async () => {
    const first = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    const start = await postJson(`${first.baseUrl}/api/v1/chat`, { text: 'guide:employer-check', language: 'en' });
    await postJson(`${first.baseUrl}/api/v1/chat`, { text: 'already in Germany', sessionId: start.body.sessionId });
    await first.close();

    const second = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0', DATA_DIR: first.dataDir });
    try {
      const next = await postJson(`${second.baseUrl}/api/v1/chat`, { text: 'Duldung', sessionId: start.body.sessionId });
      expect(next.body.messages[0].text).toContain('Which qualification');
    } finally {
      await second.close();
    }
    // Two service start-ups (each trains the NLU) in one test.
  }, 60_000);
});
