import { OUT_OF_SCOPE } from '../../src/content/intent-files';
import { sharedBrain } from '../helpers/service';

const META = new Set(['greeting', 'goodbye', 'thanks', 'handoff.request', 'escalation.urgent', 'privacy', 'bot.capabilities', OUT_OF_SCOPE]);

describe('knowledge retrieval', () => {
  it('has a sourced article in every language for every domain intent', async () => {
    const { knowledge, nlu, codes } = await sharedBrain();
    for (const intent of nlu.intents.filter((i) => !META.has(i))) {
      for (const language of codes) {
        const found = knowledge.answerFor({ language, intent, text: '' });
        expect({ intent, language, found: Boolean(found) }).toEqual({ intent, language, found: true });
        expect(found!.article.sources.length).toBeGreaterThan(0);
        expect(found!.article.texts[language].body.length).toBeGreaterThan(50);
      }
    }
  });

  it("answers an understood intent with its article even when the words fit another article better", async () => {
    const { knowledge, nlu, codes } = await sharedBrain();
    // "شو الاوراق المطلوبة" (recognition.documents, 0.99) got "I did not understand": "المطلوبة" fits the language-levels article.
    expect(knowledge.answerFor({ language: 'ar', intent: 'recognition.documents', text: 'شو الاوراق المطلوبة' })?.article.intents).toContain('recognition.documents');
    for (const intent of nlu.intents.filter((i) => !META.has(i))) {
      for (const language of codes) {
        for (const other of knowledge.articles.filter((a) => !a.intents.includes(intent) && a.texts[language])) {
          const found = knowledge.answerFor({ language, intent, text: other.texts[language].title });
          expect({ intent, language, words: other.id, answered: found?.article.intents.includes(intent) ?? false }).toEqual({ intent, language, words: other.id, answered: true });
        }
      }
    }
  });

  it("prefers the article for an entity of the message among the intent's articles (a Duldung → the Ausbildungsduldung)", async () => {
    const { knowledge } = await sharedBrain();
    const duldung = [{ type: 'residence_status', value: 'duldung' }];
    for (const [language, text] of [['ar', 'عندي دولدونغ ممكن اعمل Ausbildung؟'], ['uk', 'маю дульдунг, можна на аусбільдунг?']]) {
      expect(knowledge.answerFor({ language, intent: 'residence.training', text })?.article.id).toBe('residence-training-visa');
      expect(knowledge.answerFor({ language, intent: 'residence.training', text, entities: duldung })?.article.id).toBe('residence-training-duldung');
    }
    // An entity never brings in an article about another intent.
    expect(knowledge.answerFor({ language: 'de', intent: 'recognition.costs', text: 'Was kostet das?', entities: duldung })?.article.intents).toContain('recognition.costs');
  });

  it('uses the words to choose among articles of the same intent', async () => {
    const { knowledge } = await sharedBrain();
    const [best] = knowledge.retrieve({ language: 'de', intent: 'recognition.costs', text: 'Gibt es einen Zuschuss für die Kosten der Anerkennung?' });
    expect(best.article.id).toBe('recognition-grant');
  });

  it('suggests articles for a message it could not classify only when the words fit', async () => {
    const { knowledge } = await sharedBrain();
    expect(knowledge.suggestions({ language: 'en', text: 'football results yesterday' })).toEqual([]);
    expect(knowledge.suggestions({ language: 'de', text: 'Einstiegsqualifizierung Berufsvorbereitung' }).length).toBeGreaterThan(0);
  });

  it('ends every article text with the next step', async () => {
    const { knowledge } = await sharedBrain();
    for (const article of knowledge.articles) {
      for (const [language, text] of Object.entries(article.texts)) {
        expect({ id: article.id, language, endsWithStep: /\*\*[^*]+:\*\*[^\n]+$/.test(text.body.trim().split('\n').pop() ?? '') }).toEqual({ id: article.id, language, endsWithStep: true });
      }
    }
  });
});
