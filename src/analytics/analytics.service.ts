/**
 * Admin analytics (issue #4, point 7): how much the bot is used, how often it cannot answer, how often
 * people are handed over and how fast advisors pick them up, per language, plus the questions it most
 * often could not answer. Computed on request from the store; nothing here is stored or logged.
 */
import type { Conversation, Escalation, StoredMessage, Store } from '../storage/store';

export interface AnalyticsFigures {
  conversations: number;
  userMessages: number;
  fallbacks: number;
  /** fallbacks / userMessages; null without user messages. */
  fallbackRate: number | null;
  escalations: number;
  /** escalations / conversations; null without conversations. */
  escalationRate: number | null;
  /** Over the period's escalations that were claimed; null when none was. */
  medianTimeToClaimSeconds: number | null;
}

export interface UnansweredQuestion {
  text: string;
  count: number;
  language: string | null;
}

/** The shape the advisor console reads (GET /api/v1/analytics). */
export interface AnalyticsReport {
  from: string;
  to: string;
  overall: AnalyticsFigures;
  perLanguage: Record<string, AnalyticsFigures>;
  topUnanswered: UnansweredQuestion[];
}

export interface Period {
  /** ISO timestamps as the store writes them (`toISOString()`), both inclusive. */
  from: string;
  to: string;
}

export const DEFAULT_PERIOD_DAYS = 30;
export const TOP_UNANSWERED_LIMIT = 20;
/** A text from one conversation only is one person's message, not a "top question", and may be personal. */
export const MIN_CONVERSATIONS_PER_TEXT = 2;
export const MAX_TEXT_LENGTH = 200;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The period for `from`/`to` given as calendar dates (YYYY-MM-DD, UTC days, already validated):
 * `from` from the start of its day, `to` to the end of its day, or now. A missing `from` is the
 * start of the day `DEFAULT_PERIOD_DAYS` days before `to`'s day. Returns null when from > to.
 */
export function resolvePeriod(query: { from?: string; to?: string }, now: Date): Period | null {
  const to = query.to ? new Date(Date.parse(`${query.to}T00:00:00.000Z`) + DAY_MS - 1) : now;
  const toDayStart = Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate());
  const from = query.from ? new Date(`${query.from}T00:00:00.000Z`) : new Date(toDayStart - DEFAULT_PERIOD_DAYS * DAY_MS);
  if (from.getTime() > to.getTime()) return null;
  return { from: from.toISOString(), to: to.toISOString() };
}

/**
 * What is kept of a person's message for the "top unanswered" list: normalised (trim, lower case,
 * single spaces), e-mail addresses and long numbers (phone, case, ID numbers; any digits, Arabic-Indic
 * and Persian too) redacted, cut to MAX_TEXT_LENGTH characters. Redaction comes before grouping so
 * that "my number is 0176 1234567" from different people becomes one text without the numbers.
 */
export function redactQuestion(text: string): string {
  const normalised = text.trim().toLowerCase().replace(/\s+/gu, ' ');
  const redacted = normalised
    .replace(/\S+@\S+/gu, '[email]')
    // 5+ digits, possibly split by spaces, +, -, /, dots or brackets, as phone numbers are written.
    .replace(/\+?\(?\p{Nd}(?:[\s()./+-]*\p{Nd}){4,}/gu, '[number]');
  // Cut by code points so no half of a surrogate pair (emoji, rare scripts) is left at the end.
  return Array.from(redacted).slice(0, MAX_TEXT_LENGTH).join('').trim();
}

export class AnalyticsService {
  constructor(private readonly store: Pick<Store, 'conversations' | 'escalations'>) {}

  /**
   * Everything is counted by `createdAt` within the period. Counts per language go by the
   * conversation's language (the language of its last answer), so a language's rates relate
   * figures of the same conversations; conversations without a language yet (never answered) are
   * in `overall` only. The top unanswered questions carry the language of the person's message.
   */
  async report(period: Period): Promise<AnalyticsReport> {
    const inPeriod = (iso: string) => iso >= period.from && iso <= period.to;
    const overall = new Tally();
    const perLanguage = new Map<string, Tally>();
    const tallyFor = (language: string | null) => {
      if (language === null) return undefined;
      let tally = perLanguage.get(language);
      if (!tally) perLanguage.set(language, (tally = new Tally()));
      return tally;
    };
    const count = (language: string | null, add: (t: Tally) => void) => {
      add(overall);
      const tally = tallyFor(language);
      if (tally) add(tally);
    };

    const questions = new QuestionCounter();
    const languageOf = new Map<string, string | null>();
    for await (const { conversation, messages } of this.store.conversations.scan(period.from, period.to)) {
      languageOf.set(conversation.id, conversation.language);
      if (inPeriod(conversation.createdAt)) count(conversation.language, (t) => t.conversations++);
      for (const message of messages) {
        if (!inPeriod(message.createdAt)) continue;
        if (message.role === 'user') count(conversation.language, (t) => t.userMessages++);
        else if (message.role === 'bot' && message.unanswered) {
          count(conversation.language, (t) => t.fallbacks++);
          const question = questionBefore(messages, message.seq);
          if (question) questions.add(conversation, question);
        }
      }
    }

    // The store keeps escalations only while their conversation exists, but a conversation may have
    // gone quiet before the period: then the escalation's own language stands in.
    for (const escalation of await this.store.escalations.listCreatedBetween(period.from, period.to)) {
      const language = languageOf.has(escalation.conversationId) ? (languageOf.get(escalation.conversationId) ?? null) : escalation.language;
      count(language, (t) => t.addEscalation(escalation));
    }

    return {
      from: period.from,
      to: period.to,
      overall: overall.figures(),
      perLanguage: Object.fromEntries([...perLanguage.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([language, tally]) => [language, tally.figures()])),
      topUnanswered: questions.top(TOP_UNANSWERED_LIMIT),
    };
  }
}

/** The person's message directly before a bot message: the user message with the highest lower seq. */
function questionBefore(messages: StoredMessage[], seq: number): StoredMessage | undefined {
  let best: StoredMessage | undefined;
  for (const message of messages) {
    if (message.role === 'user' && message.seq < seq && (!best || message.seq > best.seq)) best = message;
  }
  return best;
}

class Tally {
  conversations = 0;
  userMessages = 0;
  fallbacks = 0;
  escalations = 0;
  private readonly claimSeconds: number[] = [];

  addEscalation(escalation: Escalation): void {
    this.escalations++;
    if (!escalation.claimedAt) return;
    const seconds = (Date.parse(escalation.claimedAt) - Date.parse(escalation.createdAt)) / 1000;
    if (Number.isFinite(seconds)) this.claimSeconds.push(Math.max(0, seconds));
  }

  figures(): AnalyticsFigures {
    return {
      conversations: this.conversations,
      userMessages: this.userMessages,
      fallbacks: this.fallbacks,
      fallbackRate: ratio(this.fallbacks, this.userMessages),
      escalations: this.escalations,
      escalationRate: ratio(this.escalations, this.conversations),
      medianTimeToClaimSeconds: median(this.claimSeconds),
    };
  }
}

class QuestionCounter {
  private readonly groups = new Map<string, { text: string; language: string | null; count: number; conversations: Set<string> }>();
  /** Two fallback replies to one message are still one unanswered question. */
  private readonly counted = new Set<string>();

  add(conversation: Conversation, message: StoredMessage): void {
    const messageKey = `${conversation.id}\u0000${message.seq}`;
    if (this.counted.has(messageKey)) return;
    this.counted.add(messageKey);
    const text = redactQuestion(message.text);
    if (!text) return;
    const language = message.language ?? conversation.language;
    const key = `${language ?? ''}\u0000${text}`;
    let group = this.groups.get(key);
    if (!group) this.groups.set(key, (group = { text, language, count: 0, conversations: new Set() }));
    group.conversations.add(conversation.id);
    group.count++;
  }

  top(limit: number): UnansweredQuestion[] {
    return [...this.groups.values()]
      .filter((g) => g.conversations.size >= MIN_CONVERSATIONS_PER_TEXT)
      .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text))
      .slice(0, limit)
      .map((g) => ({ text: g.text, count: g.count, language: g.language }));
  }
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return Math.round(sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}
