// Submodule paths of natural have no type declarations of their own.
declare module 'natural/lib/natural/stemmers/*' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/distance/levenshtein_distance' {
  export function DamerauLevenshteinDistance(a: string, b: string, options?: { restricted?: boolean }): number;
  export function LevenshteinDistance(a: string, b: string): number;
}
declare module 'natural/lib/natural/tfidf' {
  export class TfIdf {
    addDocument(document: string[] | string, key?: string): void;
    tfidf(terms: string[] | string, documentIndex: number): number;
  }
}
