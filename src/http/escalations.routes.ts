import { Router } from 'express';
import { z } from 'zod';
import { messageText } from '../channels/inbound';
import type { EscalationService } from '../escalation/escalation.service';
import type { Advisor, Escalation } from '../storage/store';
import { currentAdvisor, requireRole } from './advisor-auth.middleware';
import { jsonBody, parseOr400, recordId, route } from './validation';

const BODY_BYTES = 16 * 1024;

const listQuerySchema = z.object({ status: z.enum(['queued', 'assigned', 'callback', 'resolved', 'returned']).optional() }).strict();
/** Same rules as a person's message: trimmed, 1–2000 characters, no control characters. */
const textSchema = z.object({ text: messageText }).strict();

/**
 * Advisors and admins: the queue, one escalation with its transcript, claim, reply, note, resolve,
 * return to bot. Permissions per status live in EscalationService.
 */
export function escalationRoutes(service: EscalationService): Router {
  const router = Router();
  const body = jsonBody(BODY_BYTES);
  const staff = requireRole('advisor', 'admin');
  const id = (raw: string) => recordId(raw, 'escalation');

  router.get(
    '/api/v1/escalations',
    staff,
    route(async (req, res) => {
      const query = parseOr400(listQuerySchema, req.query, 'invalid_query');
      res.json({ escalations: (await service.list(query.status)).map(wireEscalation) });
    }),
  );

  router.get(
    '/api/v1/escalations/:id',
    staff,
    route(async (req, res) => {
      const { escalation, transcript } = await service.detail(id(req.params.id));
      res.json({ escalation: wireEscalationDetail(escalation), transcript });
    }),
  );

  router.post(
    '/api/v1/escalations/:id/messages',
    staff,
    ...body,
    route(async (req, res) => {
      const input = parseOr400(textSchema, req.body);
      res.status(201).json({ message: await service.sendMessage(id(req.params.id), currentAdvisor(res), input.text) });
    }),
  );

  router.post(
    '/api/v1/escalations/:id/notes',
    staff,
    ...body,
    route(async (req, res) => {
      const input = parseOr400(textSchema, req.body);
      const escalation = await service.addNote(id(req.params.id), currentAdvisor(res), input.text);
      res.status(201).json({ note: escalation.notes[escalation.notes.length - 1] });
    }),
  );

  // Status changes: who may do which one in which status is decided by the service.
  const statusChanges: Record<string, (id: string, advisor: Advisor) => Promise<Escalation>> = {
    claim: (e, a) => service.claim(e, a),
    resolve: (e, a) => service.resolve(e, a),
    'return-to-bot': (e, a) => service.returnToBot(e, a),
  };
  for (const [action, change] of Object.entries(statusChanges)) {
    router.post(
      `/api/v1/escalations/:id/${action}`,
      staff,
      route(async (req, res) => {
        res.json({ escalation: wireEscalation(await change(id(req.params.id), currentAdvisor(res))) });
      }),
    );
  }

  return router;
}

/** A queue item: the context an advisor needs, not the conversation id (the person's session id). */
export function wireEscalation(e: Escalation) {
  return {
    id: e.id,
    status: e.status,
    reason: e.reason,
    priority: e.priority,
    language: e.language,
    intents: e.intents,
    entities: e.entities,
    advisorId: e.advisorId ?? null,
    createdAt: e.createdAt,
    claimedAt: e.claimedAt ?? null,
    closedAt: e.closedAt ?? null,
    updatedAt: e.updatedAt,
  };
}

/** One escalation: the queue item plus internal notes and, for a callback, the contact to call. */
function wireEscalationDetail(e: Escalation) {
  return { ...wireEscalation(e), callbackContact: e.callbackContact ?? null, notes: e.notes };
}
