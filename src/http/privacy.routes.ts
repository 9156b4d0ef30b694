import { Router, type Response } from 'express';
import type { AuditLog } from '../advisors/audit';
import { AppError } from '../errors/app-error';
import type { ConversationExport, ConversationExporter } from '../privacy/conversation-export';
import type { ConversationErasure } from '../privacy/conversation-erasure';
import type { ConversationRepository } from '../storage/store';
import { currentAdvisor, requireRole } from './advisor-auth.middleware';
import { route, sessionIdParam } from './validation';

export interface AdminConversationRouteDeps {
  conversations: Pick<ConversationRepository, 'get'>;
  erasure: ConversationErasure;
  exporter: ConversationExporter;
  auditLog: AuditLog;
}

/** The 404 of every route addressed by a session id that has no conversation (never had one, or erased). */
export function noConversation(): AppError {
  return new AppError('not_found', 'No conversation with this session id.');
}

/**
 * Sends an export as a file download: `attachment` so browsers save it rather than show personal data
 * in a tab, `no-store` so no cache on the way keeps a copy.
 */
export function sendConversationExport(res: Response, document: ConversationExport): void {
  res.set('Cache-Control', 'no-store');
  res.set('Content-Disposition', `attachment; filename="zemigra-conversation-${document.conversation.id}.json"`);
  res.json(document);
}

/**
 * Admin only: answering a person's access or erasure request that reaches ZEMIGRA by other means
 * (the person gives their session id). Both are audited with the session id and counts, never texts.
 */
export function adminConversationRoutes(deps: AdminConversationRouteDeps): Router {
  const router = Router();
  const adminOnly = requireRole('admin');

  router.get(
    '/api/v1/admin/conversations/:sessionId/export',
    adminOnly,
    route(async (req, res) => {
      const sessionId = sessionIdParam(req.params.sessionId);
      const document = await deps.exporter.export(sessionId);
      if (!document) throw noConversation();
      // Audited before it is sent: an export the log cannot account for is not handed out.
      await deps.auditLog.record(currentAdvisor(res).id, 'conversation.export', sessionId, {
        messages: document.messages.length,
        escalations: document.escalations.length,
      });
      sendConversationExport(res, document);
    }),
  );

  router.delete(
    '/api/v1/admin/conversations/:sessionId',
    adminOnly,
    route(async (req, res) => {
      const sessionId = sessionIdParam(req.params.sessionId);
      const conversation = await deps.conversations.get(sessionId);
      if (!conversation) throw noConversation();
      const { erased, escalations } = await deps.erasure.erase(sessionId);
      if (!erased) throw noConversation();
      await deps.auditLog.record(currentAdvisor(res).id, 'conversation.erase', sessionId, { messages: conversation.lastSeq, escalations });
      res.status(204).end();
    }),
  );

  return router;
}
