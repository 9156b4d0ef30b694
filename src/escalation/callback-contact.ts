import type { CallbackContact } from '../storage/store';

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}$/;
/** International or German notation: +49 391 1234567, 0391/123 45 67, (0391) 123-4567. */
const PHONE = /^\+?[\d\s()/.-]{6,30}$/;

/**
 * A phone number or e-mail address the person typed for a callback, or null when the text is neither.
 * Only the contact is kept (trimmed, phone separators normalised), never the words around it.
 */
export function parseCallbackContact(text: string): CallbackContact | null {
  const candidate = text.trim().replace(/^(?:mailto:|tel:)/i, '');
  if (EMAIL.test(candidate)) return { kind: 'email', value: candidate.toLowerCase() };
  if (PHONE.test(candidate)) {
    const digits = candidate.replace(/\D/g, '');
    if (digits.length >= 6 && digits.length <= 15) return { kind: 'phone', value: candidate.replace(/\s+/g, ' ') };
  }
  return null;
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
