/*
 * The floor for any Botkit service (issue #7): a bare Botkit echo bot on the same stack — express,
 * Botkit, its web adapter, Node's http server — answering POST /api/messages and the websocket with
 * the text it got. No NLU, no store, no validation. Started by bench/service.bench.ts as its own
 * process: PORT=… ts-node bench/echo-bot.ts
 */
import http from 'node:http';
import { Botkit } from 'botkit';
import { WebAdapter } from 'botbuilder-adapter-web';
import express from 'express';

const port = Number(process.env.PORT ?? 3100);
const app = express();
app.use(express.json());
const server = http.createServer(app);
const adapter = new WebAdapter({ server });
const controller = new Botkit({ adapter, webserver: app, webhook_uri: '/api/messages', disable_console: true });
controller.on('message', async (bot, message) => {
  await bot.reply(message, message.text ?? '');
});
app.get('/readyz', (_req, res) => res.json({ status: 'ready' }));
controller.ready(() => server.listen(port, '127.0.0.1'));
