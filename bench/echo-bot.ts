/*
 * The floor for any Botkit service (issue #7): a bare Botkit echo bot on the same stack — express,
 * Botkit, its web adapter, Node's http server — answering POST /api/messages and the websocket with
 * the text it got. No NLU, no store, no validation. Started by bench/service.bench.ts as its own
 * process: PORT=… ts-node bench/echo-bot.ts
 *
 * With UNDERSTAND=1 the same bot also runs our NLU and knowledge retrieval on each message (the
 * models from NLU_CACHE_DIR, as the service uses them) and answers with the text of the article it found:
 * the ceiling of any service that understands messages the way ours does, before it validates,
 * stores, secures or runs a dialog. The bench reports both, so the chat/echo ratio can be read
 * against what understanding alone costs.
 */
import http from 'node:http';
import path from 'node:path';
import { Botkit } from 'botkit';
import { WebAdapter } from 'botbuilder-adapter-web';
import express from 'express';

type Understand = (text: string) => string;

async function understanding(): Promise<Understand | null> {
  if (process.env.UNDERSTAND !== '1') return null;
  // Loaded only here, so the plain echo bot stays bare (no content, no models in its memory). The
  // built service (`npm run bench` builds it), so the code is the service's and so is the model cache.
  const built = path.resolve(__dirname, '..', 'dist', 'service.js');
  const { loadBrain } = (await import(built)) as typeof import('../src/service');
  const brain = await loadBrain({ CONTENT_DIR: path.resolve(__dirname, '..'), DEFAULT_LANGUAGE: 'de', NLU_CACHE_DIR: process.env.NLU_CACHE_DIR });
  return (text) => {
    const result = brain.nlu.analyse(text, { language: null, chosen: false });
    const found = brain.knowledge.retrieve({ language: result.language, intent: result.intent.name, text });
    return found[0]?.article.texts[result.language]?.body ?? result.intent.name;
  };
}

async function main(): Promise<void> {
  const understand = await understanding();
  const port = Number(process.env.PORT ?? 3100);
  const app = express();
  app.use(express.json());
  const server = http.createServer(app);
  const adapter = new WebAdapter({ server });
  const controller = new Botkit({ adapter, webserver: app, webhook_uri: '/api/messages', disable_console: true });
  controller.on('message', async (bot, message) => {
    const text = message.text ?? '';
    await bot.reply(message, understand ? understand(text) : text);
  });
  app.get('/readyz', (_req, res) => res.json({ status: 'ready' }));
  controller.ready(() => server.listen(port, '127.0.0.1'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
