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

/** Reads the advisor console's event stream (server-sent events) with a token, like the console does. */
export async function openEvents(baseUrl: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/advisor/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  const events: { event: string; data: any }[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      /* aborted */
    }
  })();
  const waitFor = async (predicate: (e: { event: string; data: any }) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const found = events.find(predicate);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('event did not arrive');
  };
  return { status: response.status, events, waitFor, close: async () => (controller.abort(), pump) };
}
