import { tokenise } from '../nlu/text/tokenise';
import { SKIP, type Guide, type GuideAnswers, type GuideBook, type GuideOption, type GuideQuestion } from './guides';

/** What the person wrote, with the entities the NLU found in it. */
export interface AnswerInput {
  text: string;
  entities: { type: string; value: string }[];
}

/** Token sequences that mean "skip this question", in every language (from locales). */
export type SkipPhrases = string[];

/** Words shorter than this must match whole; longer ones also match the start of a word ("Ausbildungs…"). */
const PREFIX_MIN = 4;

function words(text: string): string[] {
  return tokenise(text).map((t) => t.norm);
}

/** Labels, synonyms and skip phrases come from content and never change: tokenise each once. */
const phraseWordsCache = new Map<string, string[]>();
function phraseWords(phrase: string): string[] {
  let cached = phraseWordsCache.get(phrase);
  if (!cached) phraseWordsCache.set(phrase, (cached = words(phrase)));
  return cached;
}

/** Length (in words) of the longest phrase that occurs in the message, 0 when none does. */
function longestMatch(message: string[], phrases: string[]): number {
  let best = 0;
  for (const phrase of phrases) {
    const wanted = phraseWords(phrase);
    if (wanted.length === 0 || wanted.length <= best) continue;
    for (let i = 0; i + wanted.length <= message.length; i++) {
      const hit = wanted.every((w, k) => message[i + k] === w || (w.length >= PREFIX_MIN && message[i + k].startsWith(w)));
      if (hit) {
        best = wanted.length;
        break;
      }
    }
  }
  return best;
}

function byEntity(question: GuideQuestion, input: AnswerInput): GuideOption | undefined {
  if (!question.entity) return undefined;
  const values = input.entities.filter((e) => e.type === question.entity).map((e) => e.value);
  return question.options.find((o) => o.entities?.some((id) => values.includes(id)));
}

function byNumber(question: GuideQuestion, message: string[]): GuideOption | undefined {
  if (!question.number) return undefined;
  const numbers = message.filter((w) => /^\d{1,3}$/.test(w)).map(Number);
  if (numbers.length !== 1) return undefined;
  return question.options.find((o) => o.range && numbers[0] >= o.range[0] && numbers[0] <= o.range[1]);
}

/** The option whose label or synonym (in any language: people mix) matches longest; ties are no answer. */
function byWords(question: GuideQuestion, message: string[]): GuideOption | undefined {
  let best: GuideOption | undefined;
  let bestLength = 0;
  let tie = false;
  for (const option of question.options) {
    const phrases = [...Object.values(option.label), ...Object.values(option.synonyms ?? {}).flat()];
    const length = longestMatch(message, phrases);
    if (length > bestLength) {
      best = option;
      bestLength = length;
      tie = false;
    } else if (length > 0 && length === bestLength) {
      tie = true;
    }
  }
  return tie ? undefined : best;
}

/**
 * Reads a free-text answer. The question just asked may be answered by an entity, a number, an
 * option's words, or a skip phrase; other open questions only by entities ("19, with a Duldung and
 * B1" answers three questions at once). Returns the new answers, empty
 * when the message answers nothing.
 */
export function interpretAnswer(guide: Guide, current: GuideQuestion, input: AnswerInput, answers: GuideAnswers, skipPhrases: SkipPhrases): GuideAnswers {
  const message = words(input.text);
  const found: GuideAnswers = {};
  const own = byEntity(current, input) ?? byNumber(current, message) ?? byWords(current, message);
  if (own) found[current.id] = own.value;
  else if (longestMatch(message, skipPhrases) > 0) found[current.id] = SKIP;

  for (const question of guide.questions) {
    if (question.id === current.id || answers[question.id] !== undefined) continue;
    const option = byEntity(question, input);
    if (option) found[question.id] = option.value;
  }
  return found;
}

/** A quick-reply payload value "<guide>.<question>.<option|skip>" read back into an answer. */
export function answerFromPayload(guide: Guide, value: string): GuideAnswers | undefined {
  const [guideId, questionId, optionValue, ...rest] = value.split('.');
  if (guideId !== guide.id || rest.length > 0 || !questionId || !optionValue) return undefined;
  const question = guide.question(questionId);
  if (!question) return undefined;
  if (optionValue !== SKIP && !question.options.some((o) => o.value === optionValue)) return undefined;
  return { [questionId]: optionValue };
}

/** The guide a payload value ("<guide>" or "<guide>.<question>.<option>") belongs to, with its answer if any. */
export function guidePayload(book: GuideBook, value: string): { guide: Guide; answers: GuideAnswers } | undefined {
  const guide = book.get(value.split('.')[0]);
  return guide ? { guide, answers: answerFromPayload(guide, value) ?? {} } : undefined;
}

export function answerPayload(guide: Guide, question: GuideQuestion, value: string): string {
  return `guide:${guide.id}.${question.id}.${value}`;
}
