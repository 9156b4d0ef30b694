import { randomBytes } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Reply } from '../answer/reply';
import { languageCode, MAX_TEXT_LENGTH, messageText, SESSION_ID } from '../channels/inbound';
import { turnFailure, type ChatAdapter } from '../channels/web.adapter';
import { tokenMatches } from '../dialog/middleware/session.middleware';
import { personEscalation, TURN_STATE_KEY, type TurnInfo } from '../dialog/turn';
import { AppError } from '../errors/app-error';
import type { ConversationErasure } from '../privacy/conversation-erasure';
import type { ConversationExporter } from '../privacy/conversation-export';
import type { ConversationRepository, Escalation, Source, StoredMessage } from '../storage/store';
import { noConversation, sendConversationExport } from './privacy.routes';
import { rateLimitBy, rateLimitPerIp } from './rate-limit';
import { jsonBody, parseOr400, route, sessionIdParam } from './validation';

export const MAX_BODY_BYTES = 16 * 1024;
const MAX_PAGE = 200;

export interface ChatRouteDeps {
  adapter: ChatAdapter;
  conversations: ConversationRepository;
  /** The person's copy of their data (GDPR Art. 15). */
  exporter: ConversationExporter;
  /** "Delete chat" (GDPR Art. 17). */
  erasure: ConversationErasure;
  languages: readonly string[];
  rateLimitPerMinute: number;
  /** Per session, on top of the per-IP limit: one conversation cannot flood the NLU and the store. */
  sessionRateLimitPerMinute: number;
  /** The conversation's open escalation, so a reopened web chat shows "waiting for an advisor" again. */
  openEscalation?: (sessionId: string) => Promise<Escalation | null>;
}

function chatRequestSchema(languages: readonly string[]) {
  return z
    .object({
      text: messageText,
      sessionId: z.string({ invalid_type_error: 'sessionId must be a string' }).regex(SESSION_ID, 'sessionId must be 8–128 of A-Z a-z 0-9 _ -').optional(),
      language: languageCode(languages).optional(),
    })
    .strict();
}

const messagesQuerySchema = z
  .object({
    after: z.string().regex(/^\d{1,15}$/, 'after must be a cursor returned by this route').optional(),
    limit: z.string().regex(/^\d{1,3}$/).optional(),
  })
  .strict();

/** REST channel of the contract: `POST /api/v1/chat`, the messages route, export and erasure. */
export function chatRoutes(deps: ChatRouteDeps): Router {
  const router = Router();
  const schema = chatRequestSchema(deps.languages);

  router.post(
    '/api/v1/chat',
    rateLimitPerIp(deps.rateLimitPerMinute),
    ...jsonBody(MAX_BODY_BYTES),
    rateLimitBy(deps.sessionRateLimitPerMinute, (req) => {
      const sessionId = (req.body as { sessionId?: unknown } | undefined)?.sessionId;
      return typeof sessionId === 'string' ? sessionId : undefined;
    }),
    route(async (req, res) => {
      const input = parseOr400(schema, req.body);
      const sessionId = input.sessionId ?? randomBytes(18).toString('base64url');
      const context = await deps.adapter.runTurn({ type: 'message', sessionId, text: input.text, language: input.language }, 'http');
      const turn = context.turnState.get(TURN_STATE_KEY) as TurnInfo | undefined;
      const failure = turnFailure(context);
      if (failure) throw failure;
      if (!turn?.nlu) throw new AppError('internal');
      res.json({
        sessionId,
        ...(turn.sessionToken ? { sessionToken: turn.sessionToken } : {}),
        language: turn.nlu.language,
        intent: { name: turn.nlu.intent.name, confidence: round(turn.nlu.intent.confidence) },
        entities: turn.nlu.entities,
        messages: turn.replies.map(toWireMessage),
        sources: uniqueSources(turn.replies),
        escalation: turn.escalation ? personEscalation(turn.escalation) : null,
      });
    }),
  );

  router.get(
    '/api/v1/chat/:sessionId/messages',
    route(async (req, res) => {
      const sessionId = await authorisedSession(req, deps.conversations);
      const query = parseOr400(messagesQuerySchema, req.query, 'invalid_query');
      const after = query.after ? Number(query.after) : 0;
      const limit = Math.min(MAX_PAGE, Math.max(1, query.limit ? Number(query.limit) : MAX_PAGE));
      const messages = await deps.conversations.listMessages(sessionId, after, limit);
      const escalation = deps.openEscalation ? await deps.openEscalation(sessionId) : null;
      res.json({
        sessionId,
        messages: messages.map(toStoredWireMessage),
        cursor: String(messages.length ? messages[messages.length - 1].seq : after),
        escalation: escalation ? personEscalation(escalation) : null,
      });
    }),
  );

  router.get(
    '/api/v1/chat/:sessionId/export',
    route(async (req, res) => {
      const sessionId = await authorisedSession(req, deps.conversations);
      const document = await deps.exporter.export(sessionId);
      // Erased between the token check and the export.
      if (!document) throw noConversation();
      sendConversationExport(res, document);
    }),
  );

  router.delete(
    '/api/v1/chat/:sessionId',
    route(async (req, res) => {
      const sessionId = await authorisedSession(req, deps.conversations);
      await deps.erasure.erase(sessionId);
      res.status(204).end();
    }),
  );

  return router;
}

/** The session must exist (404) and the bearer token must be its token (401). */
async function authorisedSession(req: Request, conversations: ConversationRepository): Promise<string> {
  const sessionId = sessionIdParam(req.params.sessionId);
  const header = req.get('authorization') ?? '';
  const token = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header)?.[1];
  if (!token) throw new AppError('unauthorized');
  const conversation = await conversations.get(sessionId);
  if (!conversation) throw noConversation();
  if (!tokenMatches(conversation.tokenHash, token)) throw new AppError('unauthorized');
  return sessionId;
}

function toWireMessage(reply: Reply) {
  return { text: reply.text, quickReplies: reply.quickReplies ?? [] };
}

function toStoredWireMessage(message: StoredMessage) {
  return {
    cursor: String(message.seq),
    role: message.role,
    text: message.text,
    language: message.language,
    createdAt: message.createdAt,
    quickReplies: message.quickReplies ?? [],
    sources: message.sources ?? [],
  };
}

function uniqueSources(replies: Reply[]): Source[] {
  const byUrl = new Map<string, Source>();
  for (const reply of replies) for (const source of reply.sources ?? []) if (!byUrl.has(source.url)) byUrl.set(source.url, source);
  return [...byUrl.values()];
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export { MAX_TEXT_LENGTH };
