import { OUT_OF_SCOPE, type LabelledText } from '../content/intent-files';
import type { LanguageCode, LanguageInfo } from '../i18n/languages';
import { ConceptLexicon, type ConceptEntry } from './classifier/concept-lexicon';
import { IntentClassifier, type IntentClassifierSnapshot, type IntentPrediction, type IntentScore } from './classifier/intent.classifier';
import type { TrainingOptions } from './classifier/softmax-regression';
import type { DictionaryEntry } from './entities/dictionary-matcher';
import { EntityExtractor, type Entity } from './entities/entity-extractor';
import { decideIntent, FALLBACK_POLICY, type FallbackPolicy, type FallbackReason, type IntentDecision } from './fallback.policy';
import { FIXED_BUTTONS, isFixedButtonValue, type FixedButtonKind } from './fixed-buttons';
import { LanguageDetector, withoutQuotations, type LanguageDetectorSnapshot, type LanguageGuess } from './language/language-detector';
import { TextAnalyser } from './text/analyser';
import { clauseSplitter } from './text/clauses';
import { tokenise, type Token } from './text/tokenise';

export interface SessionLanguage {
  language: LanguageCode | null;
  /** The person chose the language explicitly: answers stay in it whatever they write. */
  chosen: boolean;
}

/** Quick-reply payloads ("article:recognition-costs") are machine text: they skip classification. */
export interface Payload {
  kind: 'article' | 'intent' | 'profession' | 'guide' | 'handoff' | 'callback' | 'feedback';
  value: string;
}
/** Choosing a profession from a quick reply asks who recognises it. */
const PROFESSION_INTENT = 'recognition.authority';
const PAYLOAD = /^(article|intent|profession|guide|handoff|callback|feedback):([a-z0-9._-]{1,80})$/;
/** Accepting a handover ("handoff:fallback") and the callback buttons are all the wish for a person. */
const HANDOFF_INTENT = 'handoff.request';
/** A clause shorter than this ("und dann?") is no question of its own. */
const MIN_CLAUSE_WORDS = 2;
/** How sure the classifier must be that a clause asks something else before the answer offers it. */
const OTHER_QUESTION_CONFIDENCE = 0.5;
/** A question of aspects only is short ("Und wie lange dauert das dann ungefähr?"); a longer one names its topic. */
const ASPECT_QUESTION_MAX_WORDS = 8;
/** Entity types the classifier sees as a placeholder rather than as the name itself. */
const PLACEHOLDER_TYPES: ReadonlySet<string> = new Set(['profession', 'ambiguous_profession']);

export interface NluResult {
  /** The language to answer in. */
  language: LanguageCode;
  detected: LanguageGuess;
  intent: IntentScore;
  /** The three most likely intents, for analytics and advisors. */
  ranking: IntentScore[];
  fallbackReason?: FallbackReason;
  entities: Entity[];
  payload?: Payload;
}

export interface NluTrainingInput {
  languages: LanguageInfo[];
  defaultLanguage: LanguageCode;
  examples: LabelledText[];
  dictionaries: DictionaryEntry[];
  /** Cross-language concepts (intents/lexicon) shared by the classifier's features. */
  concepts?: ConceptEntry[];
  /** More text per language for the language detector (e.g. knowledge articles). */
  languageSamples?: { language: LanguageCode; text: string }[];
  /** Intent of each article a quick reply can point to (`article:<id>`). */
  articleIntents?: Record<string, string>;
  /** Guide id → the intent its turns count as ("guide:coaching-chain.age.18to27"). */
  guideIntents?: Record<string, string>;
  /** Intents about an aspect every topic has (intents/*.yaml `aspect: true`), see `asksAboutEarlierTopic`. */
  aspectIntents?: string[];
  training?: Partial<TrainingOptions>;
  /** When to answer out_of_scope instead of the best intent; default FALLBACK_POLICY. */
  fallbackPolicy?: Readonly<FallbackPolicy>;
}

/** The trained parts of an NluService: restored from the model cache instead of training again. */
export interface NluSnapshot {
  detector: LanguageDetectorSnapshot;
  classifier: IntentClassifierSnapshot;
}

/** The classifier's view of a message before the fallback policy decides, for calibrating that policy. */
export interface RawPrediction {
  prediction: IntentPrediction;
  wordCount: number;
}

/** The NLU stage: language, intent and entities of one message. Knows nothing of channels or Botkit. */
export class NluService {
  private constructor(
    private readonly analyser: TextAnalyser,
    private readonly detector: LanguageDetector,
    private readonly classifier: IntentClassifier,
    private readonly extractor: EntityExtractor,
    readonly languages: LanguageCode[],
    /** Maps, not objects: a payload such as "article:__proto__" must find nothing. */
    private readonly articleIntents: ReadonlyMap<string, string>,
    private readonly guideIntents: ReadonlyMap<string, string>,
    readonly fallbackPolicy: Readonly<FallbackPolicy>,
    private readonly clauseSplitters: ReadonlyMap<LanguageCode, (text: string) => string[]>,
    /** Every language's `affirmations`, normalised: a typed "ja" or "نعم" in any of them. */
    private readonly affirmations: ReadonlySet<string>,
    /** Every language's `negations`, normalised: "nein", "keine", "не знаю". */
    private readonly negations: ReadonlySet<string>,
    private readonly aspectIntents: ReadonlySet<string>,
  ) {}

  static train(input: NluTrainingInput): NluService {
    const analyser = new TextAnalyser(input.languages, input.defaultLanguage);
    const detector = new LanguageDetector(input.languages, input.defaultLanguage);
    for (const example of input.examples) detector.addSample(example.language, example.text);
    for (const sample of input.languageSamples ?? []) detector.addSample(sample.language, sample.text);
    detector.train();
    const extractor = new EntityExtractor(input.dictionaries);
    const classifier = IntentClassifier.train(
      input.examples.map((e) => ({ tokens: analyser.stemTokens(extractor.withPlaceholders(tokenise(e.text), PLACEHOLDER_TYPES, e.language), e.language), intent: e.intent })),
      input.training,
      new ConceptLexicon(input.concepts ?? []),
    );
    return NluService.assemble(input, analyser, detector, classifier, extractor);
  }

  /** The service around trained (or restored) models; everything else comes from the input as given. */
  private static assemble(input: NluTrainingInput, analyser: TextAnalyser, detector: LanguageDetector, classifier: IntentClassifier, extractor: EntityExtractor): NluService {
    return new NluService(
      analyser,
      detector,
      classifier,
      extractor,
      input.languages.map((l) => l.code),
      new Map(Object.entries(input.articleIntents ?? {})),
      new Map(Object.entries(input.guideIntents ?? {})),
      input.fallbackPolicy ?? FALLBACK_POLICY,
      new Map(input.languages.map((l) => [l.code, clauseSplitter(l.clauseJoiners ?? [])])),
      new Set(input.languages.flatMap((l) => l.affirmations ?? []).map(normalisedPhrase)),
      new Set(input.languages.flatMap((l) => l.negations ?? []).map(normalisedPhrase)),
      new Set(input.aspectIntents ?? []),
    );
  }

  /** What training learnt (not what the content gives directly), for the model cache (model-cache.ts). */
  snapshot(): NluSnapshot {
    return { detector: this.detector.toSnapshot(), classifier: this.classifier.toSnapshot() };
  }

  /** The service `train(input)` would build, from a snapshot of an earlier training on the same input. */
  static restore(input: NluTrainingInput, snapshot: NluSnapshot): NluService {
    return NluService.assemble(
      input,
      new TextAnalyser(input.languages, input.defaultLanguage),
      LanguageDetector.fromSnapshot(input.languages, input.defaultLanguage, snapshot.detector),
      IntentClassifier.fromSnapshot(snapshot.classifier, new ConceptLexicon(input.concepts ?? [])),
      new EntityExtractor(input.dictionaries),
    );
  }

  /** The same trained models with another fallback policy (no retraining). */
  withFallbackPolicy(policy: Readonly<FallbackPolicy>): NluService {
    return new NluService(this.analyser, this.detector, this.classifier, this.extractor, this.languages, this.articleIntents, this.guideIntents, policy, this.clauseSplitters, this.affirmations, this.negations, this.aspectIntents);
  }

  get intents(): readonly string[] {
    return this.classifier.intentNames;
  }

  /** The entities of a stored message without classifying it (a place the person named earlier, say), in its language if known. */
  entities(text: string, language?: LanguageCode | null): NluResult['entities'] {
    const payload = PAYLOAD.exec(text.trim());
    if (payload) return payload[1] === 'profession' ? [professionEntity(payload[2])] : [];
    return this.extractor.extract(tokenise(text), language ?? undefined);
  }

  /** A message's words as matching sees them (case, punctuation, letter variants gone): "Deutsch lernen!" → "deutsch lernen". */
  phraseKey(text: string): string {
    return normalisedPhrase(text);
  }

  /** 'yes' for a message that just says yes ("ja", "ok", "نعم"), 'no' for no or "I don't know" ("nein", "keine", "не знаю"); by phrase key. */
  shortReplyOf(key: string): 'yes' | 'no' | undefined {
    return this.affirmations.has(key) ? 'yes' : this.negations.has(key) ? 'no' : undefined;
  }

  /**
   * Whether a message of an aspect intent (`aspect: true` in intents/, "what does recognition cost?")
   * asks only about aspects, so it is about the topic asked before: "Was kostet das?" after "Bekomme ich BAB?".
   */
  asksAboutEarlierTopic(text: string, intent: string, language: LanguageCode): boolean {
    return this.aspectIntents.has(intent) && this.asksOnlyAnAspect(text, language);
  }

  /**
   * Whether a short message asks only about aspects — cost, duration, where, papers (the concepts
   * marked `aspect` in intents/lexicon) — and names no topic and no profession: "Was kostet das?",
   * "wo beantrage ich das?", "كم يكلف؟". Such a question is about the topic asked before it.
   */
  private asksOnlyAnAspect(text: string, language: LanguageCode): boolean {
    const words = tokenise(text);
    if (words.length > ASPECT_QUESTION_MAX_WORDS) return false;
    const lexicon = this.classifier.lexicon;
    let aspects = 0;
    for (const token of this.analyser.stemTokens(this.extractor.withPlaceholders(words, PLACEHOLDER_TYPES, language), language)) {
      if (token.entity) return false;
      for (const concept of lexicon.conceptsOf(token, 'reading')) {
        if (!lexicon.isAspect(concept)) return false;
        aspects++;
      }
    }
    return aspects > 0;
  }

  detectLanguage(text: string, sessionLanguage?: LanguageCode | null): LanguageGuess {
    return this.detector.detect(text, sessionLanguage);
  }

  analyse(text: string, session: SessionLanguage): NluResult {
    const payload = PAYLOAD.exec(text.trim());
    if (payload) return this.analysePayload({ kind: payload[1] as Payload['kind'], value: payload[2] }, session);

    const words = tokenise(text);
    const unquoted = withoutQuotations(text);
    const detected = this.detector.detectTokens(unquoted === text ? words : tokenise(unquoted), session.language);
    const language = session.chosen && session.language ? session.language : detected.language;
    const { prediction, wordCount } = this.classifyWords(words, detected.language);
    // A bare "no" or "ok" answers no question of ours here (the middleware took those that did):
    // whatever the classifier makes of "no", it is not an emergency ("no money", "no wages").
    const shortReply = this.shortReplyOf(words.map((w) => w.norm).join(' ')) !== undefined;
    const decision: IntentDecision = shortReply ? { intent: { name: OUT_OF_SCOPE, confidence: 1 }, fallbackReason: 'short_reply' } : decideIntent(prediction, wordCount, this.fallbackPolicy);
    return {
      language,
      detected,
      intent: decision.intent,
      ranking: prediction.ranking.slice(0, 3),
      fallbackReason: decision.fallbackReason,
      entities: this.extractor.extract(words, detected.language),
    };
  }

  /**
   * What else a message asks besides its intent ("Wie lange dauert es und was kostet es?"): every clause
   * (clauseSplitter) is classified on its own; those clearly asking something else come back, best first.
   */
  otherQuestions(text: string, result: Pick<NluResult, 'intent' | 'detected'>): IntentScore[] {
    const language = result.detected.language;
    const clauses = this.clauseSplitters.get(language)?.(text) ?? [];
    if (clauses.length < 2) return [];
    const found = new Map<string, IntentScore>();
    for (const clause of clauses) {
      const { prediction, wordCount } = this.classifyWords(tokenise(clause), language);
      if (wordCount < MIN_CLAUSE_WORDS) continue;
      const { intent } = decideIntent(prediction, wordCount, this.fallbackPolicy);
      if (intent.name === OUT_OF_SCOPE || intent.name === result.intent.name || intent.confidence < OTHER_QUESTION_CONFIDENCE) continue;
      if ((found.get(intent.name)?.confidence ?? 0) < intent.confidence) found.set(intent.name, intent);
    }
    return [...found.values()].sort((a, b) => b.confidence - a.confidence);
  }

  /**
   * Intent probabilities of a message before the fallback policy, exactly as `analyse` computes
   * them (language detected when not given). For choosing a fallback policy on validation data.
   */
  classify(text: string, language?: LanguageCode): RawPrediction {
    const words = tokenise(text);
    return this.classifyWords(words, language ?? this.detector.detectTokens(words).language);
  }

  private classifyWords(words: Token[], language: LanguageCode): RawPrediction {
    const tokens = this.analyser.stemTokens(this.extractor.withPlaceholders(words, PLACEHOLDER_TYPES, language), language);
    return { prediction: this.classifier.predict(tokens), wordCount: tokens.length };
  }

  private analysePayload(payload: Payload, session: SessionLanguage): NluResult {
    // A button pressed before any language is known (a REST client's first message): the service's default.
    const language = session.language ?? this.detector.defaultLanguage;
    const detected: LanguageGuess = { language, confidence: 0, basis: 'session' };
    if (payload.kind in FIXED_BUTTONS && !isFixedButtonValue(payload.kind as FixedButtonKind, payload.value)) {
      const intent = { name: OUT_OF_SCOPE, confidence: 1 };
      return { language, detected, intent, ranking: [intent], entities: [], fallbackReason: 'outside_domain' };
    }
    const name = this.payloadIntent(payload);
    const intent = { name, confidence: 1 };
    const entities = payload.kind === 'profession' ? [professionEntity(payload.value)] : [];
    return { language, detected, intent, ranking: [intent], entities, payload };
  }

  private payloadIntent(payload: Payload): string {
    switch (payload.kind) {
      case 'intent':
        // Anyone can type "intent:foo.bar": only the intents the classifier knows are answered.
        return this.classifier.intentNames.includes(payload.value) ? payload.value : OUT_OF_SCOPE;
      case 'article':
        return this.articleIntents.get(payload.value) ?? OUT_OF_SCOPE;
      case 'guide':
        return this.guideIntents.get(payload.value.split('.')[0]) ?? OUT_OF_SCOPE;
      case 'profession':
        return PROFESSION_INTENT;
      case 'handoff':
      case 'callback':
        return HANDOFF_INTENT;
      case 'feedback':
        // "Helpful" is a thank-you; "not helpful" means the bot did not meet the need, like a fallback.
        return payload.value === 'helpful' ? 'thanks' : OUT_OF_SCOPE;
    }
  }
}

/** A profession chosen with a button ("profession:nurse"). */
function professionEntity(id: string): Entity {
  return { type: 'profession', value: id, text: id };
}

/** Words as matching sees them (case, punctuation and letter variants gone), joined by single spaces. */
function normalisedPhrase(text: string): string {
  return tokenise(text)
    .map((t) => t.norm)
    .join(' ');
}
