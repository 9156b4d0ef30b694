import { Router } from 'express';
import type { AdvisorPresence } from '../advisors/presence';
import type { EscalationEvents } from '../escalation/escalation-events';
import { currentAdvisor, requireRole } from './advisor-auth.middleware';

/** A comment line now and then keeps proxies from closing an idle stream and detects gone clients. */
const KEEPALIVE_MS = 20_000;

/**
 * `GET /api/v1/advisor/events`: the console's live updates as server-sent events (one `event:` per
 * EscalationEvent type, JSON `data:`). The console reads it with fetch, so the token travels in the
 * Authorization header, never in a URL. An open stream counts the advisor as online.
 */
export function advisorEventRoutes(events: EscalationEvents, presence: AdvisorPresence): Router {
  const router = Router();
  router.get('/api/v1/advisor/events', requireRole('advisor', 'admin'), (req, res) => {
    const advisor = currentAdvisor(res);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`event: ready\ndata: ${JSON.stringify({ advisorId: advisor.id, online: presence.online() + 1 })}\n\n`);
    const leave = presence.connect(advisor.id);
    const unsubscribe = events.subscribe((event) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    keepalive.unref();
    const close = () => {
      clearInterval(keepalive);
      unsubscribe();
      leave();
    };
    req.on('close', close);
    res.on('error', close);
  });
  return router;
}
