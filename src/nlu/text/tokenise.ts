import { normaliseToken, prepareText, scriptOf, type Script } from './normalise';

export interface Token {
  /** As written (after Unicode composition), for entity `text` values. */
  raw: string;
  /** Normalised form used for matching and features. */
  norm: string;
  script: Script;
  /** Entity type when the word is part of a name the entity dictionaries matched (see EntityExtractor.withPlaceholders). */
  entity?: string;
}

/** Words are letters, marks and digits, with inner apostrophes (Ukrainian "м'ясо"); hyphens split. */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['’ʼ][\p{L}\p{M}\p{N}]+)*/gu;

export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of prepareText(text).matchAll(WORD)) {
    const raw = match[0];
    const script = dominantScript(raw);
    const norm = normaliseToken(raw, script);
    if (norm.length > 0) tokens.push({ raw, norm, script });
  }
  return tokens;
}

export function dominantScript(text: string): Script {
  const counts: Record<Script, number> = { Latn: 0, Cyrl: 0, Arab: 0, Other: 0 };
  for (const char of text) counts[scriptOf(char)]++;
  let best: Script = 'Other';
  for (const script of ['Latn', 'Cyrl', 'Arab'] as const) if (counts[script] > counts[best]) best = script;
  return best;
}
