import type { LanguageCode, LanguageInfo } from '../../i18n/languages';
import type { Script } from './normalise';
import { createStemmer, type Stem } from './stemmers';
import { tokenise, type Token } from './tokenise';

export interface AnalysedToken extends Token {
  stem: string;
}

/**
 * Tokenises, normalises and stems a message for one language. A word in another script than the
 * language's (a German term inside an Arabic sentence) is stemmed by the "contact language" of its
 * script: the default language when it uses that script (German terms in a German service), else
 * the first language of that script.
 */
export class TextAnalyser {
  private readonly stemByLanguage = new Map<LanguageCode, Stem>();
  private readonly scriptByLanguage = new Map<LanguageCode, Script>();
  private readonly stemByScript = new Map<Script, Stem>();

  constructor(languages: LanguageInfo[], defaultLanguage: LanguageCode) {
    for (const language of languages) {
      this.stemByLanguage.set(language.code, createStemmer(language.stemmer));
      this.scriptByLanguage.set(language.code, language.script);
    }
    const ordered = [...languages].sort((a, b) => Number(b.code === defaultLanguage) - Number(a.code === defaultLanguage));
    for (const language of ordered) {
      if (!this.stemByScript.has(language.script)) this.stemByScript.set(language.script, this.stemByLanguage.get(language.code)!);
    }
  }

  analyse(text: string, language: LanguageCode): AnalysedToken[] {
    return this.stemTokens(tokenise(text), language);
  }

  stemTokens(tokens: Token[], language: LanguageCode): AnalysedToken[] {
    const ownStem = this.stemByLanguage.get(language);
    const ownScript = this.scriptByLanguage.get(language);
    return tokens.map((token) => {
      const stem = token.script === ownScript ? ownStem : this.stemByScript.get(token.script);
      return { ...token, stem: stem ? stem(token.norm) : token.norm };
    });
  }
}
