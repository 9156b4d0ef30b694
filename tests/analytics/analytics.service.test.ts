import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AnalyticsService, redactQuestion, resolvePeriod, type Period } from '../../src/analytics/analytics.service';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';
import type { LanguageCode } from '../../src/i18n/languages';
import type { Store } from '../../src/storage/store';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-analytics-'));

/** The store stamps createdAt with `new Date()`: only Date is faked, so the journal's I/O runs as usual. */
function fakeDateOnly(): void {
  jest.useFakeTimers({
    doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
  });
}

const at = (iso: string) => jest.setSystemTime(new Date(`2026-${iso}Z`));

type Turn = [when: string, role: 'user' | 'bot', text: string, unanswered?: boolean];

async function conversation(store: Store, id: string, language: LanguageCode | null, created: string, turns: Turn[]) {
  at(created);
  await store.conversations.create({ id, tokenHash: 'h', language, languageChosen: false });
  for (const [when, role, text, unanswered] of turns) {
    at(when);
    await store.conversations.appendMessage(id, { role, text, language, ...(unanswered ? { unanswered: true } : {}) });
  }
}

/** An escalation opened at `created`, claimed at `claimed` (if given), then resolved so another may follow. */
async function escalation(store: Store, conversationId: string, language: LanguageCode | null, created: string, claimed?: string) {
  at(created);
  const opened = await store.escalations.create({ conversationId, reason: 'fallback', priority: 'normal', language, intents: [], entities: [] });
  if (claimed) {
    at(claimed);
    await store.escalations.claim(opened.id, 'advisor-1');
  }
  await store.escalations.transition(opened.id, ['queued', 'assigned'], { status: 'resolved' });
  return opened;
}

const NOVEMBER: Period = resolvePeriod({ from: '2026-11-01', to: '2026-11-30' }, new Date())!;

describe('AnalyticsService', () => {
  let dir: string;
  let store: EmbeddedStore;

  beforeAll(async () => {
    fakeDateOnly();
    dir = tempDir();
    store = new EmbeddedStore(dir);

    // Created before the period; its fallback at 00:00:01 on the first day answers a question asked just before.
    await conversation(store, 'c-old', 'de', '10-20T09:00:00', [
      ['10-20T09:00:01', 'user', 'Alte Frage'],
      ['10-20T09:00:02', 'bot', 'Weiß ich nicht.', true],
      ['10-31T23:59:59', 'user', 'Wo ist der Kurs?'],
      ['11-01T00:00:01', 'bot', 'Weiß ich nicht.', true],
    ]);
    await escalation(store, 'c-old', 'de', '10-20T09:05:00', '10-20T09:06:00');
    await escalation(store, 'c-old', 'de', '11-02T08:00:00', '11-02T08:01:00'); // 60 s

    await conversation(store, 'c-de1', 'de', '11-05T10:00:00', [
      ['11-05T10:00:01', 'user', 'Was kostet die Anerkennung?'],
      ['11-05T10:00:02', 'bot', 'Das kostet …'],
      ['11-05T10:00:03', 'user', 'Wo  ist der   Kurs?'],
      ['11-05T10:00:04', 'bot', 'Weiß ich nicht.', true],
      // One person asking twice is still one person: not a "top question".
      ['11-05T10:00:05', 'user', 'Hilfe'],
      ['11-05T10:00:06', 'bot', 'Weiß ich nicht.', true],
      ['11-05T10:00:07', 'user', 'hilfe'],
      ['11-05T10:00:08', 'bot', 'Weiß ich nicht.', true],
    ]);
    await escalation(store, 'c-de1', 'de', '11-05T10:05:00', '11-05T10:07:00'); // 120 s

    await conversation(store, 'c-de2', 'de', '11-06T10:00:00', [
      ['11-06T10:00:01', 'user', '  wo ist der kurs? '],
      // Two fallback replies to one message: two fallbacks, one unanswered question.
      ['11-06T10:00:02', 'bot', 'Weiß ich nicht.', true],
      ['11-06T10:00:03', 'bot', 'Möchten Sie mit einer Beraterin sprechen?', true],
      ['11-06T10:00:04', 'user', 'Danke'],
      ['11-06T10:00:05', 'bot', 'Gern.'],
      ['11-06T10:00:06', 'user', 'Tschüss'],
      ['11-06T10:00:07', 'bot', 'Auf Wiedersehen.'],
    ]);
    await escalation(store, 'c-de2', 'de', '11-06T10:05:00', '11-06T10:15:00'); // 600 s

    await conversation(store, 'c-en1', 'en', '11-07T10:00:00', [
      ['11-07T10:00:01', 'user', 'Call me at +49 176 1234567 please'],
      ['11-07T10:00:02', 'bot', "I don't know.", true],
      ['11-07T10:00:03', 'user', 'mail anna.berg@example.org'],
      ['11-07T10:00:04', 'bot', "I don't know.", true],
      ['11-07T10:00:05', 'user', 'My very own question'],
      ['11-07T10:00:06', 'bot', "I don't know.", true],
    ]);
    await escalation(store, 'c-en1', 'en', '11-07T11:00:00'); // never claimed

    await conversation(store, 'c-en2', 'en', '11-08T10:00:00', [
      ['11-08T10:00:01', 'user', 'call me at 0176-7654321 please'],
      ['11-08T10:00:02', 'bot', "I don't know.", true],
      ['11-08T10:00:03', 'user', 'MAIL bob@example.com'],
      ['11-08T10:00:04', 'bot', "I don't know.", true],
      ['11-08T10:00:05', 'user', 'thanks'],
      ['11-08T10:00:06', 'bot', "You're welcome."],
    ]);
    await escalation(store, 'c-en2', 'en', '11-08T11:00:00', '11-08T11:00:30'); // 30 s

    // Never answered, so no language yet: counted overall only.
    await conversation(store, 'c-none', null, '11-10T10:00:00', [['11-10T10:00:01', 'user', 'ok']]);

    // After the period: in no figure.
    await conversation(store, 'c-late', 'ar', '12-02T10:00:00', [
      ['12-02T10:00:01', 'user', 'wo ist der kurs?'],
      ['12-02T10:00:02', 'bot', 'لا أعرف', true],
    ]);
    await escalation(store, 'c-late', 'ar', '12-02T10:05:00', '12-02T10:06:00');
  });

  afterAll(async () => {
    jest.useRealTimers();
    await store.close();
  });

  it('counts conversations, messages, fallbacks and escalations per language with rates and medians', async () => {
    const report = await new AnalyticsService(store).report(NOVEMBER);
    expect(report.from).toBe('2026-11-01T00:00:00.000Z');
    expect(report.to).toBe('2026-11-30T23:59:59.999Z');
    expect(report.overall).toEqual({
      conversations: 5,
      userMessages: 14,
      fallbacks: 11,
      fallbackRate: 0.7857,
      escalations: 5,
      escalationRate: 1,
      medianTimeToClaimSeconds: 90, // 30, 60, 120, 600
    });
    expect(Object.keys(report.perLanguage)).toEqual(['de', 'en']);
    expect(report.perLanguage.de).toEqual({
      conversations: 2,
      userMessages: 7,
      fallbacks: 6,
      fallbackRate: 0.8571,
      escalations: 3, // c-old's second escalation is in the period although the conversation is older
      escalationRate: 1.5,
      medianTimeToClaimSeconds: 120,
    });
    expect(report.perLanguage.en).toEqual({
      conversations: 2,
      userMessages: 6,
      fallbacks: 5,
      fallbackRate: 0.8333,
      escalations: 2,
      escalationRate: 1,
      medianTimeToClaimSeconds: 30,
    });
  });

  it('lists unanswered questions redacted, grouped, most frequent first, only when two conversations asked', async () => {
    const report = await new AnalyticsService(store).report(NOVEMBER);
    expect(report.topUnanswered).toEqual([
      { text: 'wo ist der kurs?', count: 3, language: 'de' },
      { text: 'call me at [number] please', count: 2, language: 'en' },
      { text: 'mail [email]', count: 2, language: 'en' },
    ]);
    const json = JSON.stringify(report);
    for (const personal of ['1234567', '7654321', 'anna.berg', 'example.org', 'my very own', 'hilfe']) expect(json).not.toContain(personal);
  });

  it('filters by period: outside it nothing counts, and an empty period has null rates', async () => {
    const october = await new AnalyticsService(store).report(resolvePeriod({ from: '2026-10-01', to: '2026-10-31' }, new Date())!);
    expect(october.overall).toEqual({
      conversations: 1,
      userMessages: 2,
      fallbacks: 1,
      fallbackRate: 0.5,
      escalations: 1,
      escalationRate: 1,
      medianTimeToClaimSeconds: 60,
    });
    expect(october.topUnanswered).toEqual([]);

    const december = await new AnalyticsService(store).report(resolvePeriod({ from: '2026-12-02', to: '2026-12-02' }, new Date())!);
    expect(Object.keys(december.perLanguage)).toEqual(['ar']);
    expect(december.overall.escalations).toBe(1);

    const empty = await new AnalyticsService(store).report(resolvePeriod({ from: '2027-01-01', to: '2027-01-31' }, new Date())!);
    expect(empty).toEqual({
      from: '2027-01-01T00:00:00.000Z',
      to: '2027-01-31T23:59:59.999Z',
      overall: { conversations: 0, userMessages: 0, fallbacks: 0, fallbackRate: null, escalations: 0, escalationRate: null, medianTimeToClaimSeconds: null },
      perLanguage: {},
      topUnanswered: [],
    });
  });

  it('gives the same report after a restart (from the journal)', async () => {
    const before = await new AnalyticsService(store).report(NOVEMBER);
    await store.close();
    store = new EmbeddedStore(dir);
    expect(await new AnalyticsService(store).report(NOVEMBER)).toEqual(before);
  });

  it('scans only conversations alive in the period, and lists escalations created in it', async () => {
    const ids: string[] = [];
    for await (const { conversation, messages } of store.conversations.scan('2026-11-06T00:00:00.000Z', '2026-11-07T23:59:59.999Z')) {
      ids.push(conversation.id);
      if (conversation.id === 'c-de2') expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    }
    expect(ids.sort()).toEqual(['c-de2', 'c-en1']);
    const escalations = await store.escalations.listCreatedBetween('2026-11-05T00:00:00.000Z', '2026-11-07T23:59:59.999Z');
    expect(escalations.map((e) => e.conversationId)).toEqual(['c-de1', 'c-de2', 'c-en1']);
  });

  it('keeps at most 20 questions', async () => {
    const own = new EmbeddedStore(tempDir());
    try {
      for (let c = 0; c < 2; c++) {
        const turns: Turn[] = [];
        for (let q = 0; q < 25; q++) {
          const minute = `11-03T10:${String(q).padStart(2, '0')}`;
          turns.push([`${minute}:00`, 'user', `frage ${String.fromCharCode(97 + q)}`], [`${minute}:01`, 'bot', '?', true]);
        }
        await conversation(own, `c-${c}`, 'de', '11-03T09:00:00', turns);
      }
      const report = await new AnalyticsService(own).report(NOVEMBER);
      expect(report.topUnanswered).toHaveLength(20);
      expect(report.topUnanswered[0]).toEqual({ text: 'frage a', count: 2, language: 'de' });
    } finally {
      await own.close();
    }
  });
});

describe('redactQuestion', () => {
  it('normalises, removes e-mail addresses and long numbers in any digits, and cuts to 200 characters', () => {
    expect(redactQuestion('  Hallo\n\tWELT  ')).toBe('hallo welt');
    expect(redactQuestion('Schreib an A.B@Firma.de oder info@zemigra.example!')).toBe('schreib an [email] oder [email]');
    expect(redactQuestion('Tel. (0391) 123 45-67 / Az. 2024/12345')).toBe('tel. [number] / az. [number]');
    expect(redactQuestion('رقمي ٠١٧٦١٢٣٤٥٦٧')).toBe('رقمي [number]');
    expect(redactQuestion('شماره من ۰۹۱۲۳۴۵۶۷۸۹ است')).toBe('شماره من [number] است');
    // Short numbers are what people ask about (ages, levels, years), not who they are.
    expect(redactQuestion('Ich bin 19, B1, seit 2023 hier')).toBe('ich bin 19, b1, seit 2023 hier');
    expect(Array.from(redactQuestion('ä'.repeat(150) + '😀'.repeat(100)))).toHaveLength(200);
  });
});

describe('resolvePeriod', () => {
  const now = new Date('2026-11-25T10:11:12.345Z');
  it('defaults to the last 30 days up to now, in whole UTC days from the start', () => {
    expect(resolvePeriod({}, now)).toEqual({ from: '2026-10-26T00:00:00.000Z', to: '2026-11-25T10:11:12.345Z' });
    expect(resolvePeriod({ to: '2026-03-31' }, now)).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-31T23:59:59.999Z' });
    expect(resolvePeriod({ from: '2026-11-20' }, now)).toEqual({ from: '2026-11-20T00:00:00.000Z', to: '2026-11-25T10:11:12.345Z' });
  });
  it('refuses a period that ends before it starts', () => {
    expect(resolvePeriod({ from: '2026-11-02', to: '2026-11-01' }, now)).toBeNull();
    expect(resolvePeriod({ from: '2026-11-26' }, now)).toBeNull();
    expect(resolvePeriod({ from: '2026-11-01', to: '2026-11-01' }, now)).not.toBeNull();
  });
});
