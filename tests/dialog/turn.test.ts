import http from 'node:http';
import { Writable } from 'node:stream';
import { Botkit, type BotWorker } from 'botkit';
import { ChatAdapter, turnFailure } from '../../src/channels/web.adapter';
import { guardTurn } from '../../src/dialog/turn';
import { createLogger } from '../../src/logging/logger';

/**
 * Botkit loses an error thrown by a handler after its middleware: the turn never ends. These run a
 * real Botkit controller on our adapter, with handlers that throw.
 */
describe('a handler that throws', () => {
  const logged: string[] = [];
  const logger = createLogger('error', new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
  let server: http.Server;
  let adapter: ChatAdapter;

  beforeAll(async () => {
    server = http.createServer();
    adapter = new ChatAdapter(server, ['de'], logger);
    const controller = new Botkit({ adapter, disable_webserver: true, disable_console: true });
    const fail = async (): Promise<void> => {
      throw new TypeError('intent.replace is not a function');
    };
    controller.on('message', async (bot: BotWorker, message) => {
      if (message.text === 'guarded') return guardTurn(bot, fail, undefined);
      await bot.reply(message, `echo ${message.text}`);
    });
    await new Promise<void>((resolve) => controller.ready(resolve));
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('ends the turn as failed (the channel answers 500) instead of leaving it open, and logs the error', async () => {
    const context = await adapter.runTurn({ type: 'message', text: 'guarded', sessionId: 'guarded-session-1' }, 'http');
    expect(turnFailure(context)).toMatchObject({ code: 'internal' });
    expect(logged.join('')).toContain('intent.replace is not a function');
  });

  it('leaves the next turn unaffected', async () => {
    const context = await adapter.runTurn({ type: 'message', text: 'hallo', sessionId: 'guarded-session-1' }, 'http');
    expect(turnFailure(context)).toBeUndefined();
    expect(context.turnState.get('httpBody')).toEqual([expect.objectContaining({ text: 'echo hallo' })]);
  });
});
