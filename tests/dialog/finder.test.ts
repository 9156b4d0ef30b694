import path from 'node:path';
import { loadEntityFile } from '../../src/content/intent-files';
import { ReferenceData } from '../../src/knowledge/reference-data';
import { postJson, ROOT, startService, type RunningService } from '../helpers/service';

/**
 * The recognition finder as a new user meets it: every profession in the data, named the way a
 * person writes it in each of the six languages, together with a place. The answer must name the
 * competent body from the data (or say honestly that the finder is the place to look) and cite sources.
 */
const data = ReferenceData.load(path.join(ROOT, 'knowledge', 'data'));

/** How people phrase it, with a place in Sachsen-Anhalt; `{p}` is the profession as the data names it. */
const questions: Record<string, (p: string) => string> = {
  de: (p) => `Ich bin ${p} aus Syrien und wohne in Magdeburg. Wo kann ich meinen Abschluss anerkennen lassen?`,
  en: (p) => `I am a ${p} from Syria living in Halle. Where can I get my qualification recognised?`,
  ar: (p) => `أنا ${p} من سوريا وأعيش في ماغدبورغ. أين يمكنني الاعتراف بشهادتي؟`,
  uk: (p) => `Я ${p} з України, живу в Магдебурзі. Де визнати мій диплом?`,
  ru: (p) => `Я ${p} из Казахстана, живу в Галле. Где признать мой диплом?`,
  fa: (p) => `من ${p} از افغانستان هستم و در هاله زندگی می‌کنم. کجا مدرکم را به رسمیت بشناسانم؟`,
};
/** The place each question names: where a body is split by area (the chambers of crafts), it decides. */
const placeOf: Record<string, string> = { de: 'magdeburg', en: 'halle', ar: 'magdeburg', uk: 'magdeburg', ru: 'halle', fa: 'halle' };

describe('recognition finder for every profession in every language', () => {
  let running: RunningService;
  let url: string;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
    url = `${running.baseUrl}/api/v1/chat`;
  });
  afterAll(() => running.close());

  const cases = data.professions().flatMap((profession) =>
    Object.keys(questions).map((language) => ({ profession, language, name: profession.names[language as keyof typeof profession.names]![0] })),
  );

  it.each(cases.map((c) => [c.profession.group, c.profession.id, c.language, c] as const))('%s: %s in %s', async (_group, _id, _language, { profession, language, name }) => {
    const { body } = await postJson(url, { text: questions[language](name) });
    expect(body.language).toBe(language);
    expect(body.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'profession', value: profession.id })]));
    const text: string = body.messages.map((m: { text: string }) => m.text).join('\n');
    const competent = data.bodyAt(profession.body, placeOf[language]);
    expect(text).toContain(competent ? competent.name : 'Anerkennungs-Finder');
    expect(body.sources.length).toBeGreaterThan(0);
  });

  it('says for a protected title that the title needs permission, not that the work needs recognition', async () => {
    const engineer = await postJson(url, { text: 'Ich bin Bauingenieur aus Syrien. Wer ist zuständig?' });
    const text: string = engineer.body.messages.map((m: { text: string }) => m.text).join('\n');
    expect(text).toContain('ist die Berufsbezeichnung geschützt');
    expect(text).not.toContain('bevor Sie in dem Beruf arbeiten dürfen');
    const nurse = await postJson(url, { text: 'Ich bin Krankenschwester aus Syrien. Wer ist zuständig?' });
    expect(nurse.body.messages.map((m: { text: string }) => m.text).join('\n')).toContain('bevor Sie in dem Beruf arbeiten dürfen');
  });

  it.each([
    ['Ich bin Bäcker aus Eritrea und wohne in Zeitz. Wer erkennt meinen Abschluss an?', 'Handwerkskammer Halle (Saale)'],
    ['I am a baker from Eritrea, I live in Wernigerode. Who recognises my qualification?', 'Handwerkskammer Magdeburg'],
    ['Ich bin Bäcker aus Eritrea. Wer erkennt meinen Abschluss an?', 'Handwerkskammer Halle (Saale) oder Handwerkskammer Magdeburg'],
  ])('names the chamber of crafts of the place (a town counts for its district): %s', async (text, chamber) => {
    const { body } = await postJson(url, { text });
    const answer: string = body.messages.map((m: { text: string }) => m.text).join('\n');
    expect(answer).toContain(chamber);
    if (!chamber.includes(' oder ')) expect(answer).not.toContain(' oder Handwerkskammer');
  });
});

describe('the finder remembers the profession and the place named earlier in the conversation', () => {
  let running: RunningService;
  beforeAll(async () => {
    running = await startService({ CHAT_RATE_LIMIT_PER_MINUTE: '0' });
  });
  afterAll(() => running.close());

  /** A new conversation: sends its first message and returns a function that sends the next ones. */
  async function conversation(first: string): Promise<{ firstAnswer: string; say(text: string): Promise<string> }> {
    const url = `${running.baseUrl}/api/v1/chat`;
    const joined = (body: { messages: { text: string }[] }) => body.messages.map((m) => m.text).join('\n');
    const opening = await postJson(url, { text: first });
    const sessionId = opening.body.sessionId;
    return { firstAnswer: joined(opening.body), say: async (text) => joined((await postJson(url, { text, sessionId })).body) };
  }

  it('uses the place the person named before, and a place in the message itself first', async () => {
    const { say: text } = await conversation('Hallo, ich wohne in Wernigerode.');
    const baker = await text('Ich bin Bäcker aus Eritrea. Wer erkennt meinen Abschluss an?');
    expect(baker).toContain('Handwerkskammer Magdeburg');
    expect(baker).not.toContain('Handwerkskammer Halle');
    const moving = await text('Und wenn ich als Bäcker nach Zeitz ziehe?');
    expect(moving).toContain('Handwerkskammer Halle (Saale)');
    expect(moving).not.toContain('Handwerkskammer Magdeburg');
  });

  it.each([
    ['I am a nurse from Syria', 'Who is responsible?'],
    ['Ich bin Krankenpfleger aus Syrien', 'Und wo muss ich hin?'],
    ['profession:nurse', 'Where do I apply?'],
  ])('answers "%s" … "%s" for that profession instead of asking for it again', async (first, followUp) => {
    const { say } = await conversation(first);
    const answer = await say(followUp);
    expect(answer).toContain('Landesverwaltungsamt Sachsen-Anhalt');
    expect(answer).toContain('Pflegefachfrau');
  });

  it.each([
    ['Ich bin Bäcker aus Eritrea', 'Ich wohne in Zeitz', 'Handwerkskammer Halle (Saale)'],
    ['I am a baker from Eritrea', 'I live in Wernigerode', 'Handwerkskammer Magdeburg'],
    ['Я пекарь из Эритреи', 'Я живу в Галле', 'Handwerkskammer Halle (Saale)'],
  ])('gives the chamber of the place the person tells after the profession: "%s" … "%s"', async (first, place, chamber) => {
    const { firstAnswer, say } = await conversation(first);
    expect(firstAnswer).toContain(' oder Handwerkskammer');
    const answer = await say(place);
    expect(answer).toContain(chamber);
    expect(answer).not.toContain(' oder Handwerkskammer');
  });

  it('notes a place told without any question, instead of saying it did not understand', async () => {
    for (const [text, noted] of [
      ['Мы живём в Галле', 'Я учту ваше место'],
      ['أعيش في هاله', 'سآخذ مكانك في الاعتبار'],
      ['I live in Magdeburg', 'I will take your place into account'],
    ]) {
      const { firstAnswer } = await conversation(text);
      expect(firstAnswer).toContain(noted);
    }
  });

  it('does not carry the profession into a question on another topic', async () => {
    const { say } = await conversation('Ich bin Krankenpfleger aus Syrien');
    const answer = await say('Wo finde ich einen Deutschkurs in Halle?');
    expect(answer).not.toContain('Landesverwaltungsamt');
  });
});

describe('chambers of crafts by place', () => {
  const places = loadEntityFile(path.join(ROOT, 'intents', 'entities', 'places.yaml')).map((p) => p.id);

  it('gives every place in Sachsen-Anhalt exactly one chamber, and no unknown place', () => {
    for (const body of data.bodies().filter((b) => b.regional)) {
      const covered = body.regional!.flatMap((r) => r.places);
      expect(covered.filter((id) => !places.includes(id))).toEqual([]);
      expect([...covered].sort()).toEqual([...places].sort());
    }
  });
});
