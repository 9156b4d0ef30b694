import express, { Router } from 'express';
import { parseSocketFrame } from '../channels/inbound';
import { turnFailure, type ChatAdapter } from '../channels/web.adapter';
import { AppError } from '../errors/app-error';
import { MAX_BODY_BYTES } from './chat.routes';
import { rateLimitPerIp } from './rate-limit';
import { requireJson, route } from './validation';

export const BOTKIT_WEBHOOK_PATH = '/api/messages';

/**
 * Botkit's webhook channel (its web client in webhook mode): `{ type, user, text }` in, the array
 * of reply messages out, through the same controller as every other channel.
 */
export function botkitWebhookRoutes(adapter: ChatAdapter, languages: readonly string[], rateLimitPerMinute: number): Router {
  const router = Router();
  router.post(
    BOTKIT_WEBHOOK_PATH,
    rateLimitPerIp(rateLimitPerMinute),
    requireJson,
    express.text({ limit: MAX_BODY_BYTES, type: () => true }),
    route(async (req, res) => {
      const frame = parseSocketFrame(typeof req.body === 'string' ? req.body : null, languages);
      if (!frame.ok) throw new AppError(frame.code, frame.message);
      const context = await adapter.runTurn(frame.message, 'http');
      const failure = turnFailure(context);
      if (failure) throw failure;
      res.json(context.turnState.get('httpBody') ?? []);
    }),
  );
  return router;
}
