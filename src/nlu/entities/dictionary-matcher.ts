import { damerauLevenshtein } from '../text/edit-distance';
import { tokenise, type Token } from '../text/tokenise';

export interface DictionaryEntry {
  type: string;
  id: string;
  /** Every surface form, in every language. */
  names: string[];
  /** Words close to a name that mean something else: never a match for this entry. */
  lookalikes?: string[];
  /** Names that mean something else in messages of a language (language → names): "Chef" is the boss in German. */
  falseFriends?: Record<string, string[]>;
}

export interface DictionaryMatch {
  type: string;
  id: string;
  /** The words of the message that matched, as written. */
  text: string;
  start: number;
  end: number;
  exact: boolean;
}

interface Phrase {
  type: string;
  id: string;
  keys: string[];
  lookalikes: ReadonlySet<string>;
  /** Languages in whose messages this name is a false friend. */
  falseFriendIn?: ReadonlySet<string>;
}

/** Arabic article and clitics carry no meaning for matching names ("الممرض" = "ممرض"). */
const ARABIC_PREFIX = /^(?:وال|بال|فال|کال|لل|ال)(?=.{3,})/;

function matchKey(token: Token): string {
  return token.script === 'Arab' ? token.norm.replace(ARABIC_PREFIX, '') : token.norm;
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Whether a word of the message is a name of the dictionary up to inflection ("медсестрою" for
 * "медсестра", "Lehrerin" for "Lehrer") or a typo ("Elektricker"): an edit distance of 1 from five
 * letters on, 2 from nine. A word shorter than the name is only a typo of it (one letter missing, from
 * seven letters on): a shorter word is usually another word with the same stem ("Lehre" is not
 * "Lehrer", "back" not "Backer", "آموزش" not "آموزگار").
 */
export function similarWords(word: string, name: string): 'exact' | 'close' | null {
  if (word === name) return 'exact';
  if (word.length < name.length) {
    return word.length >= 7 && name.length - word.length === 1 && damerauLevenshtein(word, name) === 1 ? 'close' : null;
  }
  const shorter = name.length;
  if (shorter < 4) return null;
  const common = commonPrefixLength(word, name);
  if (common >= 4 && common >= word.length - 3 && common >= shorter - 1) return 'close';
  if (shorter < 5) return null;
  const allowed = shorter >= 9 ? 2 : 1;
  if (word.length - name.length > allowed) return null;
  return damerauLevenshtein(word, name) <= allowed ? 'close' : null;
}

/**
 * Finds dictionary names in a message: longest match first, exact before close. Candidates come
 * from an index on the first three letters, so a message is compared with a handful of names, not
 * with the whole dictionary.
 */
export class DictionaryMatcher {
  private readonly byPrefix = new Map<string, Phrase[]>();

  constructor(entries: DictionaryEntry[]) {
    const seen = new Set<string>();
    for (const entry of entries) {
      const lookalikes = new Set((entry.lookalikes ?? []).flatMap((word) => tokenise(word).map(matchKey)));
      const falseFriends = new Map<string, Set<string>>();
      for (const [language, names] of Object.entries(entry.falseFriends ?? {})) {
        for (const name of names) {
          const key = tokenise(name).map(matchKey).join(' ');
          falseFriends.set(key, (falseFriends.get(key) ?? new Set()).add(language));
        }
      }
      for (const name of entry.names) {
        const keys = tokenise(name).map(matchKey);
        if (keys.length === 0) continue;
        const signature = `${entry.type}|${entry.id}|${keys.join(' ')}`;
        if (seen.has(signature)) continue;
        seen.add(signature);
        const prefix = keys[0].slice(0, 3);
        const list = this.byPrefix.get(prefix) ?? [];
        list.push({ type: entry.type, id: entry.id, keys, lookalikes, falseFriendIn: falseFriends.get(keys.join(' ')) });
        this.byPrefix.set(prefix, list);
      }
    }
    for (const list of this.byPrefix.values()) list.sort((a, b) => b.keys.length - a.keys.length);
  }

  /** `language`: the message's, for false friends; without it every name counts. */
  match(tokens: Token[], language?: string): DictionaryMatch[] {
    const keys = tokens.map(matchKey);
    const matches: DictionaryMatch[] = [];
    let i = 0;
    while (i < tokens.length) {
      const best = this.bestAt(keys, i, language);
      if (!best) {
        i++;
        continue;
      }
      const end = i + best.phrase.keys.length;
      matches.push({
        type: best.phrase.type,
        id: best.phrase.id,
        text: tokens.slice(i, end).map((t) => t.raw).join(' '),
        start: i,
        end,
        exact: best.exact,
      });
      i = end;
    }
    return matches;
  }

  private bestAt(keys: string[], start: number, language: string | undefined): { phrase: Phrase; exact: boolean } | null {
    const candidates = this.byPrefix.get(keys[start].slice(0, 3));
    if (!candidates) return null;
    let best: { phrase: Phrase; exact: boolean } | null = null;
    for (const phrase of candidates) {
      if (start + phrase.keys.length > keys.length) continue;
      if (language !== undefined && phrase.falseFriendIn?.has(language)) continue;
      if (best && phrase.keys.length < best.phrase.keys.length) break;
      let exact = true;
      let ok = true;
      for (let k = 0; k < phrase.keys.length && ok; k++) {
        const similarity = phrase.lookalikes.has(keys[start + k]) ? null : similarWords(keys[start + k], phrase.keys[k]);
        if (!similarity) ok = false;
        else if (similarity === 'close') exact = false;
      }
      if (ok && (!best || (exact && !best.exact))) best = { phrase, exact };
    }
    return best;
  }
}
