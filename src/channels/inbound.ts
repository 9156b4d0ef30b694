import { z } from 'zod';
import type { ErrorCode } from '../errors/app-error';

/** Ids people's sessions may have (CONTRACT.md): URL-safe, long enough not to be guessed by chance. */
export const SESSION_ID = /^[A-Za-z0-9_-]{8,128}$/;
export const MAX_TEXT_LENGTH = 2000;

/** One message from a person, whatever channel it came through. */
export interface InboundMessage {
  type: 'message' | 'hello' | 'welcome_back';
  sessionId: string;
  text?: string;
  language?: string;
}

/** The text of a message: trimmed, 1–2000 characters, no control characters but line breaks. */
export const messageText = z
  .string({ invalid_type_error: 'text must be a string', required_error: 'text is required' })
  .transform((s) => s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '').trim())
  .pipe(z.string().min(1, 'text must not be empty').max(MAX_TEXT_LENGTH, `text must be at most ${MAX_TEXT_LENGTH} characters`));

export function languageCode(languages: readonly string[]) {
  return z
    .string({ invalid_type_error: 'language must be a string' })
    .refine((l) => languages.includes(l), { message: `language must be one of: ${languages.join(', ')}` });
}

/** Botkit web client frames: `{ type, user, text, language?, token? }`; anything else is refused. */
function socketFrameSchema(languages: readonly string[]) {
  return z.discriminatedUnion('type', [
    z.object({ type: z.literal('message'), user: z.string().regex(SESSION_ID), text: messageText, language: languageCode(languages).optional(), token: sessionToken }).passthrough(),
    z.object({ type: z.enum(['hello', 'welcome_back']), user: z.string().regex(SESSION_ID), language: languageCode(languages).optional(), token: sessionToken }).passthrough(),
  ]);
}

/** The session's secret, needed to take over an existing session on a new socket. */
const sessionToken = z.string().max(128).optional();

export type FrameResult = { ok: true; message: InboundMessage; token?: string } | { ok: false; code: ErrorCode; message: string };

export function parseSocketFrame(raw: string | null, languages: readonly string[]): FrameResult {
  if (raw === null) return { ok: false, code: 'invalid_body', message: 'Frames must be JSON text.' };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'invalid_json', message: 'Frames must be JSON text.' };
  }
  const parsed = socketFrameSchema(languages).safeParse(data);
  if (!parsed.success) return { ok: false, code: 'invalid_body', message: parsed.error.issues[0]?.message ?? 'invalid frame' };
  const frame = parsed.data;
  return {
    ok: true,
    message: { type: frame.type, sessionId: frame.user, text: frame.type === 'message' ? String(frame.text) : undefined, language: frame.language },
    token: frame.token,
  };
}
