import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EscalationEvent } from '../escalation/escalation-events';

/** What the metrics need to know of one understood message: labels only, never the text. */
export interface UnderstoodMessage {
  language: string;
  intent: { name: string };
  fallbackReason?: string;
}

/**
 * The service's Prometheus metrics (GET /metrics). Labels are bounded sets only — route patterns,
 * intent ids, languages, reasons — never ids of people or conversations and never texts.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route'>;
  private readonly intents: Counter<'intent' | 'language'>;
  private readonly fallbacks: Counter<'reason' | 'language'>;
  private readonly escalations: Counter<'reason' | 'priority'>;
  private readonly storeErrors: Counter<'kind'>;

  /** `queueLength` is asked on every scrape (one store query), so the gauge is never stale. */
  constructor(queueLength: () => Promise<number>) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'zemigra_' });
    this.requests = new Counter({ name: 'zemigra_http_requests_total', help: 'HTTP requests by route pattern and status', labelNames: ['method', 'route', 'status'], registers });
    this.latency = new Histogram({
      name: 'zemigra_http_request_duration_seconds',
      help: 'HTTP request duration by route pattern',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.intents = new Counter({ name: 'zemigra_intents_total', help: 'Messages by recognised intent and answer language', labelNames: ['intent', 'language'], registers });
    this.fallbacks = new Counter({ name: 'zemigra_fallbacks_total', help: 'Messages the bot did not understand well enough, by reason', labelNames: ['reason', 'language'], registers });
    this.escalations = new Counter({ name: 'zemigra_escalations_total', help: 'Escalations opened, by reason and priority', labelNames: ['reason', 'priority'], registers });
    this.storeErrors = new Counter({ name: 'zemigra_store_errors_total', help: 'Requests refused because the store was unreachable', labelNames: ['kind'], registers });
    new Gauge({
      name: 'zemigra_escalation_queue_length',
      help: 'Escalations waiting for an advisor (status queued)',
      registers,
      async collect() {
        this.set(await queueLength().catch(() => Number.NaN));
      },
    });
  }

  /** Counts every response by its route pattern; requests that matched no route share one label. */
  httpMiddleware(): RequestHandler {
    return (req, res, next) => {
      const stop = this.latency.startTimer();
      res.on('finish', () => {
        const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : req.method === 'GET' && res.statusCode < 400 ? 'static' : 'unmatched';
        const labels = { method: req.method, route };
        stop(labels);
        this.requests.inc({ ...labels, status: String(res.statusCode) });
      });
      next();
    };
  }

  understood(message: UnderstoodMessage): void {
    this.intents.inc({ intent: message.intent.name, language: message.language });
    if (message.fallbackReason) this.fallbacks.inc({ reason: message.fallbackReason, language: message.language });
  }

  escalationEvent(event: EscalationEvent): void {
    if (event.type === 'escalation.created') this.escalations.inc({ reason: event.reason, priority: event.priority });
  }

  storeUnavailable(): void {
    this.storeErrors.inc({ kind: 'unavailable' });
  }
}
