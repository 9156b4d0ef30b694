import type { AuditLog } from '../advisors/audit';
import { AppError } from '../errors/app-error';
import type { LanguageCode } from '../i18n/languages';
import type { Logger } from '../logging/logger';
import type { Advisor, CallbackContact, ConversationRepository, Escalation, EscalationEntity, EscalationRepository, EscalationStatus, EscalationUpdate, NewEscalation } from '../storage/store';
import { OPEN_ESCALATION_STATUSES, OpenEscalationExistsError } from '../storage/store';
import type { EscalationEvents } from './escalation-events';
import type { HandBackKind, PersonDelivery } from './person-delivery';

/** What an advisor sees of one transcript line: no session ids, tokens, NLU scores or sources. */
export interface TranscriptLine {
  role: 'user' | 'bot' | 'advisor';
  text: string;
  createdAt: string;
}

export interface EscalationDetail {
  escalation: Escalation;
  transcript: TranscriptLine[];
}

/** Transcript pages read from the store; a conversation longer than this shows its first lines only. */
const PAGE = 500;
const MAX_TRANSCRIPT = 5000;

export interface EscalationServiceDeps {
  escalations: EscalationRepository;
  conversations: ConversationRepository;
  audit: AuditLog;
  delivery: PersonDelivery;
  events: EscalationEvents;
  defaultLanguage: LanguageCode;
  logger: Logger;
}

/**
 * The advisor side of escalations: who may do what in which status, the audit entries, and the
 * calls into the bot side through PersonDelivery. Every status change is a compare-and-set in the
 * repository, so concurrent advisors cannot both win. Errors are AppErrors (404, 403, 409) that the
 * HTTP layer passes through.
 *
 * The bot side (when to escalate, silence while owned) uses `open` and `openFor`: while the open
 * escalation is 'assigned', an advisor owns the conversation and the bot stays silent.
 */
export class EscalationService {
  constructor(private readonly deps: EscalationServiceDeps) {}

  // --- for the bot side --------------------------------------------------------------------

  /** Opens an escalation, or returns the conversation's open one (a person is queued once, even when two triggers race). */
  async open(input: NewEscalation): Promise<Escalation> {
    let escalation: Escalation;
    try {
      escalation = await this.deps.escalations.create(input);
    } catch (error) {
      if (error instanceof OpenEscalationExistsError) return error.existing;
      throw error;
    }
    const { id: escalationId, status, priority, reason, language, createdAt: at } = escalation;
    this.deps.events.publish({ type: 'escalation.created', escalationId, status, priority, reason, language, at });
    return escalation;
  }

  /**
   * An emergency in a conversation that already waits for a person ("I want to talk to someone" …
   * "the police come tomorrow to deport me"): its escalation becomes urgent and moves up the queue,
   * and its context shows why (the urgent intent, a crisis term).
   */
  async raiseToUrgent(escalation: Escalation, context: { intents: string[]; entities: EscalationEntity[] }): Promise<Escalation> {
    if (escalation.priority === 'urgent') return escalation;
    const entities = [...escalation.entities];
    for (const entity of context.entities) if (!entities.some((e) => e.type === entity.type && e.value === entity.value)) entities.push(entity);
    const result = await this.deps.escalations.transition(escalation.id, OPEN_ESCALATION_STATUSES, { priority: 'urgent', reason: 'urgent', intents: context.intents, entities });
    if (!result.ok) return escalation;
    this.updated(result.escalation);
    return result.escalation;
  }

  /** The conversation's open escalation (queued, assigned or callback), if any. */
  openFor(conversationId: string): Promise<Escalation | null> {
    return this.deps.escalations.findOpenByConversation(conversationId);
  }

  /** Stores the callback contact the person gave with consent; a queued escalation becomes a callback. */
  async leaveCallbackContact(id: string, contact: CallbackContact): Promise<Escalation | null> {
    const result = await this.deps.escalations.transition(id, ['queued', 'callback'], { status: 'callback', callbackContact: contact });
    if (!result.ok) return null;
    this.updated(result.escalation);
    return result.escalation;
  }

  /** A person wrote while their escalation is open: the console shows it (the text stays in the transcript). */
  personWrote(escalation: Escalation): void {
    this.deps.events.publish({ type: 'escalation.message', escalationId: escalation.id, role: 'user', at: new Date().toISOString() });
  }

  // --- for advisors ------------------------------------------------------------------------

  list(status?: EscalationStatus): Promise<Escalation[]> {
    return this.deps.escalations.list(status ? { status } : {});
  }

  /**
   * The escalation with its transcript. A closed escalation's transcript ends when it was closed: what
   * the person writes to the bot afterwards is no advisor's business (the next escalation shows it).
   */
  async detail(id: string): Promise<EscalationDetail> {
    const escalation = await this.get(id);
    const until = escalation.closedAt;
    const transcript: TranscriptLine[] = [];
    let after = 0;
    while (transcript.length < MAX_TRANSCRIPT) {
      const page = await this.deps.conversations.listMessages(escalation.conversationId, after, PAGE);
      const shown = until === undefined ? page : page.filter((m) => m.createdAt <= until);
      for (const m of shown) transcript.push({ role: m.role, text: m.text, createdAt: m.createdAt });
      if (page.length < PAGE || shown.length < page.length) break;
      after = page[page.length - 1].seq;
    }
    return { escalation, transcript };
  }

  /** 200 for exactly one of many concurrent claims; 409 for the others and for anything not queued. */
  async claim(id: string, advisor: Advisor): Promise<Escalation> {
    const escalation = changed(await this.deps.escalations.claim(id, advisor.id), 'claimed');
    await this.deps.audit.record(advisor.id, 'escalation.claim', id);
    this.updated(escalation);
    const language = await this.languageOf(escalation);
    if (language) await this.deps.delivery.takenOver(escalation.conversationId, language, escalation).catch(this.warn(id, 'take-over notice failed'));
    return escalation;
  }

  /** Only the owning advisor writes to the person; the message is stored first, then pushed live. */
  async sendMessage(id: string, advisor: Advisor, text: string): Promise<{ role: 'advisor'; text: string; createdAt: string }> {
    const escalation = await this.get(id);
    if (escalation.status !== 'assigned') throw new AppError('conflict', statusConflict(escalation, 'answered'));
    if (escalation.advisorId !== advisor.id) throw new AppError('forbidden', 'Only the advisor who claimed this escalation can write to the person.');
    const conversation = await this.deps.conversations.get(escalation.conversationId);
    if (!conversation) throw notFound();
    const stored = await this.deps.conversations.appendMessage(escalation.conversationId, { role: 'advisor', text, language: conversation.language });
    await this.deps.audit.record(advisor.id, 'escalation.message', id);
    this.deps.events.publish({ type: 'escalation.message', escalationId: id, role: 'advisor', at: stored.createdAt });
    // Stored is what counts (the messages route has it); a failed live push must not turn into an error.
    await this.deps.delivery.deliver(escalation.conversationId, text, stored.seq).catch(this.warn(id, 'live delivery of an advisor message failed'));
    return { role: 'advisor', text: stored.text, createdAt: stored.createdAt };
  }

  /**
   * Assigned: the owner or an admin. Callback: any advisor (callbacks have no owner until someone
   * calls back; whoever resolves it is recorded). The callback contact is deleted with the change.
   */
  resolve(id: string, advisor: Advisor): Promise<Escalation> {
    return this.close(id, advisor, 'resolved', (e) => {
      if (e.status === 'callback') return true;
      if (e.status === 'assigned') return e.advisorId === advisor.id || advisor.role === 'admin';
      return 'conflict';
    });
  }

  /** Assigned: the owner or an admin. Queued or callback: admins only (withdrawing a case from the queue). */
  returnToBot(id: string, advisor: Advisor): Promise<Escalation> {
    return this.close(id, advisor, 'returned', (e) => {
      if (e.status === 'assigned') return e.advisorId === advisor.id || advisor.role === 'admin';
      if (e.status === 'queued' || e.status === 'callback') return advisor.role === 'admin';
      return 'conflict';
    });
  }

  /** Internal note, any status, any advisor; never shown to the person and never audited with its text. */
  async addNote(id: string, advisor: Advisor, text: string): Promise<Escalation> {
    const updated = await this.deps.escalations.addNote(id, { at: new Date().toISOString(), advisorId: advisor.id, text });
    if (!updated) throw notFound();
    await this.deps.audit.record(advisor.id, 'escalation.note', id);
    return updated;
  }

  private async close(id: string, advisor: Advisor, status: HandBackKind, allowed: (e: Escalation) => boolean | 'conflict'): Promise<Escalation> {
    const current = await this.get(id);
    const verdict = allowed(current);
    if (verdict === 'conflict') throw new AppError('conflict', statusConflict(current, status));
    if (!verdict) throw new AppError('forbidden', 'Only the advisor who claimed this escalation or an admin can do this.');
    // Compare-and-set on the status just checked: a concurrent resolve/return makes this one a 409.
    const escalation = changed(
      await this.deps.escalations.transition(id, [current.status], { status, ...(current.advisorId ? {} : { advisorId: advisor.id }) }),
      status,
    );
    await this.deps.audit.record(advisor.id, status === 'resolved' ? 'escalation.resolve' : 'escalation.return', id, { from: current.status });
    this.updated(escalation);
    const language = await this.languageOf(current);
    if (language) await this.deps.delivery.handBack(current.conversationId, language, status).catch(this.warn(id, 'hand-back to the bot failed'));
    return escalation;
  }

  /** The language to tell the person in; undefined when the conversation is gone (erased meanwhile). */
  private async languageOf(escalation: Escalation): Promise<LanguageCode | undefined> {
    const conversation = await this.deps.conversations.get(escalation.conversationId);
    return conversation ? (conversation.language ?? escalation.language ?? this.deps.defaultLanguage) : undefined;
  }

  private updated(escalation: Escalation): void {
    this.deps.events.publish({ type: 'escalation.updated', escalationId: escalation.id, status: escalation.status, advisorId: escalation.advisorId ?? null, at: escalation.updatedAt });
  }

  /** Logs a failed push to the person (ids only, never texts) instead of failing the advisor's request. */
  private warn(escalationId: string, what: string): (error: Error) => void {
    return (error) => this.deps.logger.warn({ escalationId, err: { name: error.name, message: error.message } }, what);
  }

  private async get(id: string): Promise<Escalation> {
    const escalation = await this.deps.escalations.get(id);
    if (!escalation) throw notFound();
    return escalation;
  }
}

function notFound(): AppError {
  return new AppError('not_found', 'No escalation with this id.');
}

/** The escalation after a compare-and-set, or the 404/409 that explains why it did not happen. */
function changed(result: EscalationUpdate, verb: string): Escalation {
  if (result.ok) return result.escalation;
  throw result.reason === 'not_found' ? notFound() : new AppError('conflict', statusConflict(result.escalation, verb));
}

function statusConflict(escalation: Escalation, verb: string): string {
  return `This escalation is ${escalation.status} and cannot be ${verb === 'returned' ? 'returned to the bot' : verb}.`;
}
