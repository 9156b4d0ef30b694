import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EscalationEvent, EscalationEvents } from '../escalation/escalation-events';
import type { Logger } from '../logging/logger';

/**
 * Outgoing webhook for escalations (issue #4): ZEMIGRA's own systems (a ticket tool, a team chat) hear
 * about a new escalation without polling the advisor API. The payload is the bus event itself, which by
 * design holds ids, enums and times only, so no personal data leaves the service this way.
 *
 * Receivers verify `x-zemigra-signature` with `verifyWebhookSignature` (see README, "Webhook").
 */

export const WEBHOOK_EVENT_TYPES = ['escalation.created', 'escalation.updated'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Receivers must refuse older (or further in the future) timestamps, so a captured request cannot be replayed later. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export interface WebhookPayload {
  event: WebhookEventType;
  /** One id per delivery, the same on every attempt, so a receiver can drop duplicates. */
  id: string;
  sentAt: string;
  data: EscalationEvent;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Event types to send; default only 'escalation.created'. */
  events?: readonly WebhookEventType[];
  logger: Logger;
  /** Waits before the 2nd, 3rd, … attempt; its length + 1 is the number of attempts. Tests pass zeros. */
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

export type DeliveryOutcome =
  | { ok: true; id: string; attempts: number; status: number }
  | { ok: false; id: string; attempts: number; status?: number; reason: 'rejected' | 'exhausted' | 'closed' };

const DEFAULT_RETRY_DELAYS_MS = [1_000, 5_000];
const DEFAULT_TIMEOUT_MS = 5_000;

export function signWebhook(secret: string, timestamp: string | number, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * True when `header` is the HMAC-SHA256 of "<timestamp>.<raw body>" with `secret` and the timestamp
 * (unix seconds) lies within five minutes of now. `body` must be the raw request body as received,
 * not a re-serialised parse of it.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  body: string | Buffer,
  header: string | undefined,
  options: { nowSeconds?: number; toleranceSeconds?: number } = {},
): boolean {
  if (typeof header !== 'string' || timestamp === undefined) return false;
  const ts = String(timestamp);
  if (!/^\d{1,12}$/.test(ts)) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(ts)) > (options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS)) return false;
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body).slice('sha256='.length), 'hex');
  return timingSafeEqual(expected, Buffer.from(match[1], 'hex'));
}

/** Network errors, timeouts, 5xx and 429 may pass; anything else (4xx, redirects) will not change by retrying. */
function retryable(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

/** The error's kind, never its message: undici messages can carry addresses. */
function errorKind(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  if (cause && typeof cause.code === 'string') return cause.code;
  return error instanceof Error ? error.name : 'unknown';
}

export class EscalationWebhook {
  private readonly events: ReadonlySet<string>;
  private readonly host: string;
  private readonly retryDelaysMs: readonly number[];
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<DeliveryOutcome>>();
  /** Wakes backoff waits at close, so shutting down does not sit out a retry delay. */
  private readonly closing = new AbortController();

  constructor(private readonly options: WebhookOptions) {
    this.events = new Set(options.events ?? ['escalation.created']);
    this.host = new URL(options.url).host;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetch = options.fetch ?? ((...args) => fetch(...args));
    this.now = options.now ?? (() => new Date());
  }

  /** Listens on the bus; returns the unsubscribe function. The listener never throws and never blocks the publisher. */
  subscribe(bus: EscalationEvents): () => void {
    return bus.subscribe((event) => {
      if (!this.events.has(event.type) || this.closing.signal.aborted) return;
      void this.deliver(event);
    });
  }

  /** Sends one event with retries. Resolves with the outcome; never rejects. */
  deliver(event: EscalationEvent): Promise<DeliveryOutcome> {
    const id = randomUUID();
    const run = this.attempts(event, id).catch((error: unknown): DeliveryOutcome => {
      this.log('error', { deliveryId: id, error: errorKind(error) }, 'webhook delivery failed unexpectedly');
      return { ok: false, id, attempts: 0, reason: 'exhausted' };
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
    return run;
  }

  /** Resolves when every delivery started so far has finished (delivered or given up). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  /** Stops taking events, skips pending retry waits, and waits for requests already on the wire (at most the timeout). */
  async close(): Promise<void> {
    this.closing.abort();
    await this.flush();
  }

  private async attempts(event: EscalationEvent, id: string): Promise<DeliveryOutcome> {
    const payload: WebhookPayload = { event: event.type as WebhookEventType, id, sentAt: this.now().toISOString(), data: event };
    const body = JSON.stringify(payload);
    const context = { deliveryId: id, event: event.type, escalationId: event.escalationId, host: this.host };
    const maxAttempts = this.retryDelaysMs.length + 1;
    let status: number | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) {
        const waited = await this.wait(this.retryDelaysMs[attempt - 2]);
        if (!waited) {
          this.log('warn', { ...context, attempts: attempt - 1, status }, 'webhook delivery abandoned at shutdown');
          return { ok: false, id, attempts: attempt - 1, status, reason: 'closed' };
        }
      }
      status = undefined;
      let error: string | undefined;
      try {
        status = await this.send(event.type, id, body);
      } catch (failure) {
        error = errorKind(failure);
      }
      if (status !== undefined && status >= 200 && status < 300) {
        this.log('info', { ...context, attempt, status }, 'webhook delivered');
        return { ok: true, id, attempts: attempt, status };
      }
      if (!retryable(status)) {
        this.log('warn', { ...context, attempt, status }, 'webhook rejected by receiver; not retried');
        return { ok: false, id, attempts: attempt, status, reason: 'rejected' };
      }
      this.log('warn', { ...context, attempt, status, error }, attempt < maxAttempts ? 'webhook attempt failed; will retry' : 'webhook attempt failed');
    }
    this.log('error', { ...context, attempts: maxAttempts, status }, 'webhook delivery given up');
    return { ok: false, id, attempts: maxAttempts, status, reason: 'exhausted' };
  }

  private async send(type: string, id: string, body: string): Promise<number> {
    // Signed per attempt: a retry after the backoff still carries a fresh timestamp within the receiver's window.
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const response = await this.fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-zemigra-event': type,
        'x-zemigra-delivery': id,
        'x-zemigra-timestamp': timestamp,
        'x-zemigra-signature': signWebhook(this.options.secret, timestamp, body),
      },
      body,
      // A redirect would turn the POST into a GET elsewhere; the operator should configure the final URL.
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    // Release the connection; the receiver's answer body is not ours to read or log.
    await response.body?.cancel().catch(() => undefined);
    return response.status;
  }

  /** False when the webhook was closed during the wait. */
  private wait(ms: number): Promise<boolean> {
    const signal = this.closing.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  private log(level: 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string): void {
    try {
      this.options.logger[level](fields, message);
    } catch {
      /* a broken log sink must not turn into a failed delivery or an unhandled rejection */
    }
  }
}

/** Creates the webhook and subscribes it to the bus; `close()` unsubscribes and drains. */
export function startEscalationWebhook(bus: EscalationEvents, options: WebhookOptions): { webhook: EscalationWebhook; close(): Promise<void> } {
  const webhook = new EscalationWebhook(options);
  const unsubscribe = webhook.subscribe(bus);
  return {
    webhook,
    close: async () => {
      unsubscribe();
      await webhook.close();
    },
  };
}
