import type { Translate } from '../i18n/i18n';
import type { CallbackContact, QuickReply } from '../storage/store';
import { maskCallbackContact } from '../escalation/callback-contact';
import { fixedButtonPayload, type HandoffOfferReason } from '../nlu/fixed-buttons';
import type { Reply } from './reply';

/** What the bot knows about the handover when it tells the person (see escalation/handoff-desk.ts). */
export interface HandoffSituation {
  alreadyOpen: boolean;
  officeOpen: boolean;
  advisorsOnline: number;
  /** Office hours in the person's language, for the "closed" message. */
  hours: string;
  /** A callback contact is already on file: do not offer another one. */
  hasContact: boolean;
}

export const CALLBACK_PAYLOADS = {
  offer: fixedButtonPayload('callback', 'offer'),
  agree: fixedButtonPayload('callback', 'agree'),
  decline: fixedButtonPayload('callback', 'decline'),
} as const;
export const FEEDBACK_PAYLOADS = { helpful: fixedButtonPayload('feedback', 'helpful'), unhelpful: fixedButtonPayload('feedback', 'unhelpful') } as const;
export const ACCEPT_HANDOFF_PAYLOAD = (reason: HandoffOfferReason) => fixedButtonPayload('handoff', reason);
/** "Talk to an advisor": the quick reply the NLU reads as handoff.request. */
export const ADVISOR_PAYLOAD = 'intent:handoff.request';

export function advisorButton(t: Translate): QuickReply {
  return { title: t('buttons.advisor'), payload: ADVISOR_PAYLOAD };
}

/**
 * The bot's words around a handover, in the person's language (locales/<lng>/chat.json: handoff,
 * callback, handback). Says what the advisor will see, whether anyone can answer soon, and the next step.
 */
export class HandoffReplies {
  handedOver(situation: HandoffSituation, t: Translate): Reply {
    const parts = situation.alreadyOpen
      ? [t('handoff.already')]
      : [t('handoff.queued'), situation.officeOpen ? t(situation.advisorsOnline > 0 ? 'handoff.online' : 'handoff.noneOnline') : t('handoff.closed', { hours: situation.hours })];
    // When nobody can answer soon, the person also gets the public services that can.
    if (!situation.officeOpen || situation.advisorsOnline === 0) parts.push(`${t('handoff.contactsIntro')}\n${t('handoff.contacts')}`);
    parts.push(t('handoff.nextStep'));
    return { text: parts.join('\n\n'), quickReplies: situation.hasContact ? [] : [{ title: t('buttons.callback'), payload: CALLBACK_PAYLOADS.offer }] };
  }

  /**
   * After repeated fallbacks, "not helpful" or an unsure wish for a person: the offer, escalated only
   * if the person accepts.
   */
  offer(reason: HandoffOfferReason, t: Translate, before?: Reply): Reply {
    // After "not helpful" the person said it already: sorry, not "I could not help you".
    const intro = { fallback: t('handoff.couldNotHelp'), feedback: t('handoff.feedbackSorry'), requested: '' }[reason];
    const buttons: QuickReply[] = [
      { title: t('buttons.handoffYes'), payload: ACCEPT_HANDOFF_PAYLOAD(reason) },
      ...(before?.quickReplies ?? []).filter((q) => q.payload !== ADVISOR_PAYLOAD),
    ];
    const question = [intro, t('handoff.offerQuestion')].filter(Boolean).join(' ');
    const text = `${before ? `${before.text}\n\n` : ''}${question}`;
    return { ...before, text, quickReplies: buttons };
  }

  askConsent(t: Translate): Reply {
    return { text: t('callback.consent'), quickReplies: [{ title: t('buttons.agree'), payload: CALLBACK_PAYLOADS.agree }, { title: t('buttons.decline'), payload: CALLBACK_PAYLOADS.decline }] };
  }

  askContact(t: Translate): Reply {
    return { text: t('callback.ask') };
  }

  contactUnreadable(t: Translate, givenUp: boolean): Reply {
    return givenUp ? { text: t('callback.givenUp'), quickReplies: [{ title: t('buttons.callback'), payload: CALLBACK_PAYLOADS.offer }] } : { text: t('callback.invalid') };
  }

  contactSaved(contact: CallbackContact, t: Translate): Reply {
    return { text: t('callback.saved', { contact: maskCallbackContact(contact) }) };
  }

  declined(t: Translate): Reply {
    return { text: t('callback.declined') };
  }

  nothingOpen(t: Translate): Reply {
    return { text: t('callback.notOpen'), quickReplies: [advisorButton(t)] };
  }

  takenOver(t: Translate): Reply {
    return { text: t('handback.takenOver') };
  }

  handBack(kind: 'returned' | 'resolved', t: Translate): Reply {
    return { text: t(`handback.${kind}`) };
  }
}
