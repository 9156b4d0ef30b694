/**
 * A message cut into its clauses: at the ends of sentences and at the language's joining words
 * (`clauseJoiners` in locales/<lang>/language.json: "und", "and", "и" …), so that "Wie lange dauert
 * es und was kostet es?" becomes two questions. Empty parts are dropped.
 */
export function splitClauses(text: string, joiners: readonly string[]): string[] {
  const sentences = text.split(/[?!.;؟\n]+/u);
  if (joiners.length === 0) return sentences.map((s) => s.trim()).filter(Boolean);
  const at = new RegExp(`(?:^|\\s)(?:${joiners.map(escape).join('|')})(?=\\s|$)`, 'iu');
  return sentences.flatMap((s) => s.split(at)).map((s) => s.trim()).filter(Boolean);
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
