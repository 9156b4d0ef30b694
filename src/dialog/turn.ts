import type { Reply } from '../answer/reply';
import type { NluResult } from '../nlu/nlu.service';
import type { CallbackContact, Conversation, Escalation } from '../storage/store';

/** What one turn learnt and said; channels read it to build their response. */
export interface TurnInfo {
  conversation: Conversation;
  /** Only on the turn that created the conversation: the secret for the messages route. */
  sessionToken?: string;
  nlu?: NluResult;
  replies: Reply[];
  /** The conversation's open escalation after this turn (queued, assigned or callback), if any. */
  escalation?: Escalation | null;
  /**
   * A phone number or e-mail this message gave for a callback: asked for, or typed at the question
   * whether we may call back (which answers it). It goes to the escalation, never into the transcript.
   */
  callbackContact?: CallbackContact;
}

export const TURN_STATE_KEY = 'zemigra.turn';

/** The inbound message as our channels deliver it to Botkit (extra fields ride in channelData). */
export interface InboundFields {
  /** Language the person chose explicitly, if any. */
  language?: string;
  /** How replies travel back: over the person's websocket, or in the HTTP response. */
  delivery: 'socket' | 'http';
}

/** Minimal view of Botkit's TurnContext that our stages need, so they do not import Botkit. */
export interface TurnStateHolder {
  turnState: Map<unknown, unknown> | { get(key: unknown): unknown; set(key: unknown, value: unknown): unknown };
}

export function turnOf(context: TurnStateHolder): TurnInfo {
  const turn = context.turnState.get(TURN_STATE_KEY) as TurnInfo | undefined;
  if (!turn) throw new Error('turn state missing: session middleware did not run');
  return turn;
}

/** What the person's client may know of a handover: no advisor id, no notes, no contact. */
export function personEscalation(e: Escalation) {
  return { id: e.id, status: e.status, priority: e.priority, reason: e.reason, createdAt: e.createdAt };
}

/** The TurnContext as a Botkit handler sees it: its adapter reports a failed turn (WebAdapter.onTurnError). */
interface FailableContext {
  adapter: { onTurnError?: (context: never, error: Error) => Promise<void> };
}

/**
 * Runs one of our Botkit handlers (an interrupt, a trigger, a dialog step). Botkit loses an error
 * thrown there: its turn promise never settles, so the HTTP request hangs and the socket stops
 * answering. Caught here, the error goes to the adapter's onTurnError like any other failed turn
 * (logged; the channel answers 500 or a socket error) and Botkit ends the turn with `fallback`.
 */
export async function guardTurn<R>(bot: { getConfig(key: 'context'): unknown }, run: () => Promise<R>, fallback: R): Promise<R> {
  try {
    return await run();
  } catch (error) {
    const context = bot.getConfig('context') as FailableContext;
    await context.adapter.onTurnError?.(context as never, error instanceof Error ? error : new Error(String(error)));
    return fallback;
  }
}
