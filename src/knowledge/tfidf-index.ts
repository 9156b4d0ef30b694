/**
 * TF-IDF scores of documents (lists of stems) for a query, with natural's TfIdf formula: the sum,
 * over the query's terms, of the term's count in the document times idf = 1 + ln(N / (1 + df)).
 * Replaces natural's TfIdf, which scored every document for every term, kept the idf of every
 * word any person ever typed in a cache that never shrank, and read prototype names such as
 * "constructor" as terms of every document.
 */
export class TfIdfIndex {
  /** term → the documents containing it, with the term's count in each. */
  private readonly postings = new Map<string, { document: number; count: number }[]>();
  private documents = 0;

  /** Adds a document; documents are numbered in the order they are added, from 0. */
  add(terms: readonly string[]): number {
    const document = this.documents++;
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, count] of counts) {
      const list = this.postings.get(term) ?? [];
      list.push({ document, count });
      this.postings.set(term, list);
    }
    return document;
  }

  get size(): number {
    return this.documents;
  }

  /** The score of every document, by document number. A repeated query term counts again, as in natural. */
  scores(terms: readonly string[]): Float64Array {
    const scores = new Float64Array(this.documents);
    for (const term of terms) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = 1 + Math.log(this.documents / (1 + list.length));
      for (const { document, count } of list) scores[document] += count * idf;
    }
    return scores;
  }
}
