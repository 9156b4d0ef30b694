import type { CallbackContact } from '../storage/store';

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$/;
/** International or German notation: +49 391 1234567, 0391/123 45 67, (0391) 123-4567. */
const PHONE = /^\+?[\d\s()/.-]{6,30}$/;

/** The same inside a sentence ("meine Nummer ist 0176 1234567", "Tel. 0391/123456, am besten vormittags"). */
const EMAIL_IN_TEXT = /[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24}/;
/** Inside a sentence a number counts only when written as a phone number is: from + or a leading 0. */
const PHONE_IN_TEXT = /(?:\+|\(?0)[\d\s()/.-]{4,28}\d/;
const DATE = /^\d{1,2}\.\d{1,2}\.\d{2,4}$/;
/** Longer than this, a message is more than a contact with a few words around it. */
const MAX_CONTACT_MESSAGE = 200;

/**
 * A phone number or e-mail address the person typed for a callback, alone or in a short sentence, or
 * null when there is none. Only the contact is kept (trimmed, phone separators normalised), never the
 * words around it.
 */
export function parseCallbackContact(text: string): CallbackContact | null {
  const candidate = text.trim().replace(/^(?:mailto:|tel:)/i, '');
  if (EMAIL.test(candidate)) return { kind: 'email', value: candidate.toLowerCase() };
  const whole = phone(candidate);
  if (whole) return whole;
  if (candidate.length > MAX_CONTACT_MESSAGE) return null;
  const email = EMAIL_IN_TEXT.exec(candidate)?.[0];
  if (email) return { kind: 'email', value: email.toLowerCase() };
  const number = PHONE_IN_TEXT.exec(candidate)?.[0].trim();
  return number && !DATE.test(number) ? phone(number) : null;
}

function phone(candidate: string): CallbackContact | null {
  if (!PHONE.test(candidate)) return null;
  const digits = candidate.replace(/\D/g, '');
  return digits.length >= 6 && digits.length <= 15 ? { kind: 'phone', value: candidate.replace(/\s+/g, ' ') } : null;
}

/**
 * The contact as the bot repeats it to the person: enough to spot a typo at the end, too little to be
 * worth keeping, because bot messages stay in the transcript while the contact itself is deleted.
 */
export function maskCallbackContact(contact: CallbackContact): string {
  if (contact.kind === 'email') {
    const [local, domain] = contact.value.split('@');
    return `${local[0]}•••@${domain}`;
  }
  const digits = contact.value.replace(/\D/g, '').length;
  let seen = 0;
  return contact.value.replace(/\d/g, (d) => (++seen > digits - 3 ? d : '•'));
}
