import path from 'node:path';
import { loadEntityFile } from '../../src/content/intent-files';
import { sharedBrain } from '../helpers/service';

const fresh = { language: null, chosen: false };
const entity = async (text: string, type: string) => {
  const { nlu } = await sharedBrain();
  return nlu.analyse(text, fresh).entities.find((e) => e.type === type)?.value;
};

describe('entities from the real dictionaries', () => {
  it.each([
    ['Ich bin Krankenschwester', 'nurse'],
    ['I am a registered nurse', 'nurse'],
    ['أنا ممرضة من سوريا', 'nurse'],
    ['Я працюю медсестрою', 'nurse'],
    ['Я работаю медсестрой', 'nurse'],
    ['من پرستار هستم', 'nurse'],
    ['ich bin Elektricker', 'electrician'],
  ])('profession in "%s"', async (text, id) => {
    expect(await entity(text, 'profession')).toBe(id);
  });

  it('finds places in Sachsen-Anhalt, countries, residence status and German level', async () => {
    expect(await entity('Ich wohne in Wernigerode', 'place')).toBe('wernigerode');
    expect(await entity('I live in Magdeburg', 'place')).toBe('magdeburg');
    expect(await entity('Ich komme aus Afghanistan', 'country')).toBe('af');
    expect(await entity('Я з України', 'country')).toBe('ua');
    expect(await entity('ich habe eine Duldung', 'residence_status')).toBe('duldung');
    expect(await entity('Ich habe Deutsch B1 gemacht', 'german_level')).toBe('B1');
  });

  it('reads § 24 with its law as temporary protection, and an age of 24 as nothing', async () => {
    expect(await entity('Ich habe Schutz nach § 24 AufenthG', 'residence_status')).toBe('temporary-protection');
    expect(await entity('I am 24 and from Ghana', 'residence_status')).toBeUndefined();
    expect(await entity('мені 24 роки', 'residence_status')).toBeUndefined();
  });

  it('does not read a German "Chef" (the boss) as a cook, but an English "chef" and a German "Koch"', async () => {
    expect(await entity('Mein Chef sagt, ich brauche eine Anerkennung', 'profession')).toBeUndefined();
    expect(await entity('I am a chef from Vietnam', 'profession')).toBe('cook');
    expect(await entity('Ich bin Koch aus Vietnam', 'profession')).toBe('cook');
  });

  it('does not take a greeting for a place that looks like it ("Hallo" is not Halle), but keeps the place', async () => {
    expect(await entity('Hallo, ich bin Person 1', 'place')).toBeUndefined();
    expect(await entity('hallo ich suche eine Ausbildung', 'place')).toBeUndefined();
    expect(await entity('Ich wohne in Halle', 'place')).toBe('halle');
    expect(await entity('Wir wollen jemanden einstellen', 'place')).toBeUndefined();
    expect(await entity('ich halte das für wichtig', 'place')).toBeUndefined();
    expect(await entity('اشتغل بورشة سيارات', 'place')).toBeUndefined();
    expect(await entity('Ich wohne in Wolfen', 'place')).toBe('bitterfeld-wolfen');
  });

  const crisisTerms = loadEntityFile(path.join(__dirname, '..', '..', 'intents', 'entities', 'crisis-terms.yaml')).flatMap((entry) =>
    Object.values(entry.names).flat().map((name) => [name, entry.id] as const),
  );

  it.each(crisisTerms)('finds the crisis term "%s" inside a sentence', async (name, id) => {
    expect(await entity(`ok ${name} ok`, 'crisis')).toBe(id);
  });

  it.each([
    'Bring mich um 8 Uhr zum Sprachkurs',
    'Der Betrieb hat mich eingestellt und die Kammer hat mich beraten',
    'I hit the deadline for my application',
    'Мне угрожает отчисление из колледжа',
    'Wie lange dauert die Ausbildung zur Pflegefachfrau?',
  ])('finds no crisis in an everyday sentence: "%s"', async (text) => {
    expect(await entity(text, 'crisis')).toBeUndefined();
  });
});
