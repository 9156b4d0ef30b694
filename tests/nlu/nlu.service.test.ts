import { ACCEPT_HANDOFF_PAYLOAD, ADVISOR_PAYLOAD, CALLBACK_PAYLOADS, FEEDBACK_PAYLOADS } from '../../src/answer/handoff-replies';
import { FIXED_BUTTONS } from '../../src/nlu/fixed-buttons';
import { sharedBrain } from '../helpers/service';

const fresh = { language: null, chosen: false };

describe('NLU on the real training data', () => {
  it.each([
    ['de', 'Muss ich meinen Abschluss als Elektriker anerkennen lassen?', 'recognition.need'],
    ['en', 'which documents do i need for the recognition application', 'recognition.documents'],
    ['ar', 'كم تكلفة الاعتراف بشهادتي؟', 'recognition.costs'],
    ['uk', 'Де можна записатися на курс німецької мови?', 'language.courses'],
    ['ru', 'Как найти место для профессионального обучения?', 'training.find'],
    ['fa', 'برای استخدام نیروی کار از خارج چه باید بکنیم؟', 'employer.hire_abroad'],
  ])('understands %s: %s', async (language, text, intent) => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse(text, fresh);
    expect({ language: result.language, intent: result.intent.name }).toEqual({ language, intent });
  });

  it('tolerates typos in key terms', async () => {
    const { nlu } = await sharedBrain();
    expect(nlu.analyse('wie lange dauert die anerkenung', fresh).intent.name).toBe('recognition.duration');
  });

  it('understands German terms mixed into other languages', async () => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse('هل يمكنني الحصول على Ausbildungsduldung إذا عندي Duldung؟', fresh);
    expect(result.language).toBe('ar');
    expect(result.intent.name).toBe('residence.training');
  });

  it('always treats threats of deportation or violence as urgent', async () => {
    const { nlu } = await sharedBrain();
    expect(nlu.analyse('Morgen werde ich abgeschoben, bitte helfen Sie mir', fresh).intent.name).toBe('escalation.urgent');
    expect(nlu.analyse('my boss took my passport and does not pay me', fresh).intent.name).toBe('escalation.urgent');
  });

  it('rejects messages outside the domain', async () => {
    const { nlu } = await sharedBrain();
    for (const text of ['what is the weather tomorrow in Berlin', 'Wie backe ich einen Schokoladenkuchen?', 'asdf qwer zxcv']) {
      expect({ text, intent: nlu.analyse(text, fresh).intent.name }).toEqual({ text, intent: 'out_of_scope' });
    }
  });

  it('answers in the chosen language whatever the message language', async () => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse('Wie lange dauert die Anerkennung?', { language: 'fa', chosen: true });
    expect(result.language).toBe('fa');
    expect(result.detected.language).toBe('de');
    expect(result.intent.name).toBe('recognition.duration');
  });

  it('treats quick-reply payloads as machine text', async () => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse('profession:nurse', { language: 'ru', chosen: false });
    expect(result.language).toBe('ru');
    expect(result.entities).toEqual([{ type: 'profession', value: 'nurse', text: 'nurse' }]);
    // Before any language is known, a button answers in the service's default language (de here).
    expect(nlu.analyse('intent:thanks', { language: null, chosen: false }).language).toBe('de');
  });

  it('reads the entities of stored messages, buttons included', async () => {
    const { nlu } = await sharedBrain();
    expect(nlu.entities('profession:nurse')).toEqual([{ type: 'profession', value: 'nurse', text: 'nurse' }]);
    expect(nlu.entities('article:recognition-costs')).toEqual([]);
    expect(nlu.entities('Ich wohne in Zeitz')).toEqual([expect.objectContaining({ type: 'place', value: 'zeitz' })]);
  });
});

describe('other questions in the same message', () => {
  it.each([
    ['Wie lange dauert die Anerkennung und was kostet sie?', 'recognition.costs'],
    ['Welche Unterlagen brauche ich und wie lange dauert es?', 'recognition.documents'],
    ['Сколько стоит признание и сколько оно длится?', 'recognition.duration'],
  ])('finds the second question in "%s"', async (text, other) => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse(text, fresh);
    const others = nlu.otherQuestions(text, result);
    expect(others.map((o) => o.name)).toContain(other);
    expect(others.map((o) => o.name)).not.toContain(result.intent.name);
  });

  it('finds none in a message that asks one thing, or whose other part is small talk', async () => {
    const { nlu } = await sharedBrain();
    for (const text of ['Was kostet die Anerkennung?', 'Hallo und danke', 'Welche Unterlagen und Übersetzungen brauche ich für den Antrag?']) {
      expect(nlu.otherQuestions(text, nlu.analyse(text, fresh)).filter((o) => !['greeting', 'thanks'].includes(o.name))).toEqual([]);
    }
  });
});

describe('questions about the topic before', () => {
  it.each([
    ['Was kostet das?', true],
    ['wo beantrage ich das?', true],
    ['how long does it take?', true],
    ['كم يكلف؟', true],
    ['Скільки це коштує?', true],
    ['Was kostet die Anerkennung?', false],
    ['how much does it cost for a nurse?', false],
    ['wie lange dauert der Integrationskurs?', false],
    ['ich suche arbeit', false],
  ])('%s asks only about an aspect of the topic before: %s', async (text, expected) => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse(text, fresh);
    expect(nlu.asksAboutEarlierTopic(text, result.intent.name, result.detected.language)).toBe(expected);
  });
});

describe('language detection', () => {
  it.each([
    ['Ich möchte eine Ausbildung als Koch in Magdeburg machen', 'de'],
    ['I would like to start an apprenticeship as a cook', 'en'],
    ['أريد أن أبدأ تدريبا مهنيا كطباخ', 'ar'],
    ['Я хочу почати навчання на кухаря', 'uk'],
    ['Я хочу начать обучение на повара', 'ru'],
    ['من می‌خواهم آموزش آشپزی را شروع کنم', 'fa'],
    ['I need Anerkennung for my Ausbildung as Pflegefachkraft', 'en'],
  ])('detects %s as %s', async (text, language) => {
    const { nlu } = await sharedBrain();
    expect(nlu.detectLanguage(text).language).toBe(language);
  });

  it('answers a first greeting in the language whose word it is, not in the one its letters look like', async () => {
    const { nlu } = await sharedBrain();
    for (const text of ['Hallo', 'Hallo!', 'Moin', 'Guten Tag']) expect({ text, language: nlu.detectLanguage(text).language }).toEqual({ text, language: 'de' });
    for (const text of ['hi', 'hello', 'Hello!', 'good morning']) expect({ text, language: nlu.detectLanguage(text).language }).toEqual({ text, language: 'en' });
  });

  it('answers in the language the person writes, not in the language of what they quote', async () => {
    const { nlu } = await sharedBrain();
    const result = nlu.analyse("what if it says 'Beschäftigung nur mit Erlaubnis der Ausländerbehörde'?", fresh);
    expect(result.language).toBe('en');
    expect(nlu.analyse('Was bedeutet „residence permit for employment purposes“ auf meinem Dokument?', fresh).language).toBe('de');
  });

  it('keeps the session language for very short messages', async () => {
    const { nlu } = await sharedBrain();
    expect(nlu.detectLanguage('ok', 'ar').language).toBe('ar');
    expect(nlu.detectLanguage('سلام', 'de').language).toBe('de');
    expect(nlu.detectLanguage('danke', 'uk').language).toBe('uk');
  });

  it('keeps the session language for a German term on its own, however long ("Integrationskurs?" in an Arabic chat)', async () => {
    const { nlu } = await sharedBrain();
    expect(nlu.detectLanguage('Integrationskurs?', 'ar').language).toBe('ar');
    expect(nlu.detectLanguage('Anerkennungszuschuss beantragen', 'fa').language).toBe('fa');
    expect(nlu.detectLanguage('Integrationskurs?', 'de').language).toBe('de');
    expect(nlu.detectLanguage('I would prefer to write in English', 'ar').language).toBe('en');
  });

  it('reads every fixed button the answers offer as that button, and a made-up value of one as nothing', async () => {
    const { nlu } = await sharedBrain();
    const session = { language: 'de', chosen: false };
    const buttons = [...Object.values(CALLBACK_PAYLOADS), ...Object.values(FEEDBACK_PAYLOADS), ...FIXED_BUTTONS.handoff.map(ACCEPT_HANDOFF_PAYLOAD), ADVISOR_PAYLOAD];
    // The answers offer every fixed value there is, and no other.
    expect(new Set(buttons.filter((b) => b !== ADVISOR_PAYLOAD))).toEqual(new Set(Object.entries(FIXED_BUTTONS).flatMap(([kind, values]) => values.map((v) => `${kind}:${v}`))));
    for (const button of buttons) expect({ button, payload: Boolean(nlu.analyse(button, session).payload) }).toEqual({ button, payload: true });
    for (const madeUp of ['handoff:xyz', 'callback:hack', 'feedback:meh']) {
      const result = nlu.analyse(madeUp, session);
      expect({ madeUp, intent: result.intent.name, payload: result.payload }).toEqual({ madeUp, intent: 'out_of_scope', payload: undefined });
    }
  });
});
