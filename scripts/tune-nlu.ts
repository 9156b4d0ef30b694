/*
 * `npm run tune -- '<training options JSON>' '<fallback policy JSON>'`: k-fold cross-validation on the
 * training phrases only (intents/), so hyper-parameters and fallback thresholds are chosen without
 * ever looking at the held-out set that `npm run eval` reports on.
 */
import path from 'node:path';
import { labelledTexts, loadConcepts, loadIntentFiles, type LabelledText } from '../src/content/intent-files';
import { loadLanguages } from '../src/i18n/languages';
import { ConceptLexicon } from '../src/nlu/classifier/concept-lexicon';
import { IntentClassifier } from '../src/nlu/classifier/intent.classifier';
import { DEFAULT_TRAINING } from '../src/nlu/classifier/softmax-regression';
import { decideIntent, FALLBACK_POLICY } from '../src/nlu/fallback.policy';
import { TextAnalyser } from '../src/nlu/text/analyser';
import { tokenise } from '../src/nlu/text/tokenise';

const FOLDS = 5;
const root = path.resolve(__dirname, '..');
const languages = loadLanguages(path.join(root, 'locales'));
const examples = labelledTexts(loadIntentFiles(path.join(root, 'intents'), languages.map((l) => l.code)));
const analyser = new TextAnalyser(languages, 'de');
const lexicon = new ConceptLexicon(loadConcepts(path.join(root, 'intents', 'lexicon')));
const training = { ...DEFAULT_TRAINING, ...JSON.parse(process.argv[2] ?? '{}') };
const policy = { ...FALLBACK_POLICY, ...JSON.parse(process.argv[3] ?? '{}') };

/** Deterministic fold of an example, spread evenly inside each intent and language. */
const foldOf = new Map<LabelledText, number>();
const counters = new Map<string, number>();
for (const e of examples) {
  const key = `${e.intent}/${e.language}`;
  const n = counters.get(key) ?? 0;
  counters.set(key, n + 1);
  foldOf.set(e, n % FOLDS);
}

const perLanguage: Record<string, { n: number; raw: number; decided: number }> = {};
for (let fold = 0; fold < FOLDS; fold++) {
  const train = examples.filter((e) => foldOf.get(e) !== fold);
  const classifier = IntentClassifier.train(train.map((e) => ({ tokens: analyser.analyse(e.text, e.language), intent: e.intent })), training, lexicon);
  for (const e of examples.filter((x) => foldOf.get(x) === fold)) {
    const tokens = analyser.stemTokens(tokenise(e.text), e.language);
    const prediction = classifier.predict(tokens);
    const decision = decideIntent(prediction, tokens.length, policy);
    const r = (perLanguage[e.language] ??= { n: 0, raw: 0, decided: 0 });
    r.n++;
    if (prediction.ranking[0].name === e.intent) r.raw++;
    if (decision.intent.name === e.intent) r.decided++;
  }
}
const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
console.log(`${FOLDS}-fold cross-validation on intents/ (training ${JSON.stringify(training)}, policy ${JSON.stringify(policy)})`);
for (const [language, r] of Object.entries(perLanguage)) {
  console.log(`${language}  top-1 ${pct(r.raw / r.n)}  after fallback policy ${pct(r.decided / r.n)}  (${r.n})`);
}
