import { TokenSigner } from '../../src/advisors/tokens';
import type { Store } from '../../src/storage/store';

/** Fixed in the tests' environment so tests can mint (and expire) tokens the service accepts. */
export const AUTH_SECRET = 'test-secret-for-advisor-tokens-0123456789';
export const signer = new TokenSigner(AUTH_SECRET, 30 * 60_000);

export interface CallResult {
  status: number;
  body: any;
  headers: Headers;
}

export function caller(baseUrl: string) {
  return async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<CallResult> => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* keep text */
    }
    return { status: response.status, body, headers: response.headers };
  };
}

/** A conversation with a few messages and an escalation for it, made through the repositories (the bot trigger comes later). */
export async function seedEscalation(store: Store, id: string, over: { priority?: 'urgent' | 'normal'; texts?: string[] } = {}) {
  await store.conversations.create({ id, tokenHash: 'not-used-here', language: 'uk', languageChosen: false });
  for (const [i, text] of (over.texts ?? ['Як визнати мій диплом медсестри?', 'Ось відповідь бота.']).entries()) {
    await store.conversations.appendMessage(id, { role: i % 2 ? 'bot' : 'user', text, language: 'uk', ...(i % 2 ? {} : { intent: 'recognition.need' }) });
  }
  return store.escalations.create({
    conversationId: id,
    reason: over.priority === 'urgent' ? 'urgent' : 'requested',
    priority: over.priority ?? 'normal',
    language: 'uk',
    intents: ['recognition.need'],
    entities: [{ type: 'profession', value: 'nurse' }],
  });
}

/** An advisor account made directly in the store, with a token minted for it (no scrypt per account). */
export async function quickAdvisor(store: Store, email: string, role: 'advisor' | 'admin' = 'advisor') {
  const advisor = await store.advisors.create({ email, name: email.split('@')[0], role, passwordHash: 'scrypt$unusable' });
  return { advisor, token: signer.sign(advisor).token };
}
