import type { Token } from '../text/tokenise';
import { DictionaryMatcher, type DictionaryEntry } from './dictionary-matcher';

export interface Entity {
  type: string;
  /** Canonical id (profession id, place id, ISO country code, CEFR level …). */
  value: string;
  /** As the person wrote it. */
  text: string;
}

/** Cyrillic and Arabic letters people type for the CEFR levels (В2 with a Cyrillic В, ب1). */
const LEVEL_LETTER: Record<string, string> = { a: 'A', b: 'B', c: 'C', а: 'A', в: 'B', с: 'C', ا: 'A', ب: 'B', س: 'C' };

function germanLevel(tokens: Token[], i: number): { value: string; length: number } | null {
  const word = tokens[i].norm;
  const joined = /^([abcавсاب])([12])$/u.exec(word);
  if (joined) return { value: `${LEVEL_LETTER[joined[1]]}${joined[2]}`, length: 1 };
  const next = tokens[i + 1]?.norm;
  if (word.length === 1 && LEVEL_LETTER[word] && (next === '1' || next === '2')) return { value: `${LEVEL_LETTER[word]}${next}`, length: 2 };
  return null;
}

/**
 * Entities of a message: professions, places in Sachsen-Anhalt, countries and residence statuses
 * from the dictionaries in `knowledge/data` and `intents/entities`, and German levels A1–C2.
 */
export class EntityExtractor {
  private readonly matcher: DictionaryMatcher;

  constructor(entries: DictionaryEntry[]) {
    this.matcher = new DictionaryMatcher(entries);
  }

  /**
   * The message with a placeholder word ("@profession") after each mention of an entity of `types`.
   * The classifier then learns "I am a @profession, where …" once for all professions instead of
   * once per name; the name itself stays, because it still says something ("Pflegefachkraft" and B2),
   * marked with the entity type so it is not also read as a concept ("translator" is no translation).
   */
  withPlaceholders(tokens: Token[], types: ReadonlySet<string>, language?: string): Token[] {
    const result: Token[] = [];
    let next = 0;
    for (const match of this.matcher.match(tokens, language)) {
      if (!types.has(match.type)) continue;
      result.push(...tokens.slice(next, match.start), ...tokens.slice(match.start, match.end).map((t) => ({ ...t, entity: match.type })), { raw: match.text, norm: `@${match.type}`, script: 'Other' });
      next = match.end;
    }
    result.push(...tokens.slice(next));
    return result;
  }

  /** `language`: the message's, so a false friend ("Chef" in German) is no name. */
  extract(tokens: Token[], language?: string): Entity[] {
    const entities: Entity[] = [];
    const seen = new Set<string>();
    const push = (entity: Entity) => {
      const key = `${entity.type}:${entity.value}`;
      if (seen.has(key)) return;
      seen.add(key);
      entities.push(entity);
    };
    for (let i = 0; i < tokens.length; i++) {
      const level = germanLevel(tokens, i);
      if (level) push({ type: 'german_level', value: level.value, text: tokens.slice(i, i + level.length).map((t) => t.raw).join(' ') });
    }
    for (const match of this.matcher.match(tokens, language)) push({ type: match.type, value: match.id, text: match.text });
    return entities;
  }
}
