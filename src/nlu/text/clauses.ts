/**
 * Cuts a message into its clauses: at the ends of sentences and at the language's joining words
 * (`clauseJoiners` in locales/<lang>/language.json: "und", "and", "и" …), so that "Wie lange dauert
 * es und was kostet es?" becomes two questions. Empty parts are dropped. Built once per language.
 */
export function clauseSplitter(joiners: readonly string[]): (text: string) => string[] {
  const at = joiners.length ? new RegExp(`(?:^|\\s)(?:${joiners.map(escape).join('|')})(?=\\s|$)`, 'iu') : null;
  return (text) =>
    text
      .split(/[?!.;؟\n]+/u)
      .flatMap((sentence) => (at ? sentence.split(at) : [sentence]))
      .map((clause) => clause.trim())
      .filter(Boolean);
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
