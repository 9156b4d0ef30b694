import type { LanguageCode } from '../i18n/languages';
import type { TextAnalyser } from '../nlu/text/analyser';
import type { Article } from './articles';
import { TfIdfIndex } from './tfidf-index';

/** How much the intent counts next to the words: the intent decides, the words pick among siblings. */
export const RETRIEVAL_WEIGHTS = {
  mainIntent: 1,
  otherIntent: 0.6,
  /** An entity of the message that the article is for (its `entities`): decides between siblings, not over the intent. */
  entity: 0.5,
  /** Share of a not-understood message's content words an article must contain to be suggested. */
  minSuggestionCoverage: 0.5,
} as const;

export interface RetrievalQuery {
  language: LanguageCode;
  intent: string | null;
  text: string;
  /** Entities found in the message (type and canonical value). */
  entities?: readonly { type: string; value: string }[];
}

export interface ScoredArticle {
  article: Article;
  score: number;
  textScore: number;
  /** Share of the query's content words (4+ letters) that occur in the article. */
  coverage: number;
}

/**
 * The knowledge stage: finds the articles that answer a message, inside the answer's language, with
 * TF-IDF over stemmed words (title counted twice), boosted by the detected intent.
 */
export class KnowledgeBase {
  private readonly byId = new Map<string, Article>();
  private readonly indexes = new Map<LanguageCode, { tfidf: TfIdfIndex; articles: Article[]; words: Set<string>[] }>();

  constructor(
    articles: Article[],
    private readonly analyser: TextAnalyser,
  ) {
    for (const article of articles) {
      this.byId.set(article.id, article);
      for (const [language, text] of Object.entries(article.texts)) {
        let index = this.indexes.get(language);
        if (!index) this.indexes.set(language, (index = { tfidf: new TfIdfIndex(), articles: [], words: [] }));
        const stems = this.stems(`${text.title} ${text.title} ${text.body}`, language);
        index.tfidf.add(stems);
        index.articles.push(article);
        index.words.push(new Set(stems));
      }
    }
  }

  get articles(): Article[] {
    return [...this.byId.values()];
  }

  article(id: string): Article | undefined {
    return this.byId.get(id);
  }

  hasArticleFor(intent: string): boolean {
    return this.articles.some((a) => a.intents.includes(intent));
  }

  /** Articles for a message, best first; empty when the language has no articles. */
  retrieve(query: RetrievalQuery, limit = 3): ScoredArticle[] {
    const index = this.indexes.get(query.language);
    if (!index) return [];
    const terms = [...new Set(this.stems(query.text, query.language))];
    const raw = index.tfidf.scores(terms);
    const max = Math.max(...raw, 0);
    const contentTerms = terms.filter((t) => t.length >= 4);
    const entities = new Set((query.entities ?? []).map((e) => `${e.type}:${e.value}`));
    return index.articles
      .map((article, i) => {
        const textScore = max > 0 ? raw[i] / max : 0;
        const position = query.intent ? article.intents.indexOf(query.intent) : -1;
        const intentBoost = position === 0 ? RETRIEVAL_WEIGHTS.mainIntent : position > 0 ? RETRIEVAL_WEIGHTS.otherIntent : 0;
        const boost = intentBoost + (article.entities.some((e) => entities.has(e)) ? RETRIEVAL_WEIGHTS.entity : 0);
        const found = contentTerms.filter((t) => index.words[i].has(t)).length;
        const coverage = contentTerms.length ? found / contentTerms.length : 0;
        return { article, textScore, coverage, score: textScore + boost };
      })
      .sort((a, b) => b.score - a.score || a.article.id.localeCompare(b.article.id))
      .slice(0, limit);
  }

  /**
   * The best article for an understood intent, or undefined when no article is about it. Only
   * articles about the intent compete: a message whose words happen to fit another article better
   * ("شو الاوراق المطلوبة": "المطلوبة", required, is in the language-levels article) is still
   * answered by what the intent asks, not with "I did not understand".
   */
  answerFor(query: RetrievalQuery & { intent: string }): ScoredArticle | undefined {
    return this.retrieve(query, Infinity).find((s) => s.article.intents.includes(query.intent));
  }

  /** The best article whose main topic is `intent`, even where another article fits the words better. */
  mainArticleFor(query: RetrievalQuery & { intent: string }): Article | undefined {
    return this.retrieve(query, Infinity).find((s) => s.article.intents[0] === query.intent)?.article;
  }

  /** Articles whose words fit a message we could not classify: offered as "did you mean …". */
  suggestions(query: Omit<RetrievalQuery, 'intent'>, limit = 3): ScoredArticle[] {
    return this.retrieve({ ...query, intent: null }, limit).filter((s) => s.coverage >= RETRIEVAL_WEIGHTS.minSuggestionCoverage);
  }

  private stems(text: string, language: LanguageCode): string[] {
    return this.analyser.analyse(text, language).map((t) => t.stem);
  }
}
