import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ActivityTypes, TurnContext, type Activity, type ResourceResponse } from 'botbuilder';
import { WebAdapter } from 'botbuilder-adapter-web';
import { WebSocket, WebSocketServer } from 'ws';
import { AppError } from '../errors/app-error';
import type { Logger } from '../logging/logger';
import { StoreUnavailableError } from '../storage/store';
import type { InboundFields } from '../dialog/turn';
import { parseSocketFrame, type InboundMessage } from './inbound';

/** Every activity gets this channel id, so dialog state is shared by the websocket and HTTP. */
export const CHANNEL_ID = 'zemigra';
/** Paths the web chat may open its websocket on. */
export const CHAT_SOCKET_PATHS = new Set(['/', '/ws', '/chat']);

const HEARTBEAT_MS = 30_000;
const MAX_FRAME_BYTES = 16 * 1024;
/** A flood from one socket is refused instead of queued: burst size and refill per second. */
const SOCKET_BURST = 10;
const SOCKET_REFILL_PER_SECOND = 2;

type Logic = (context: TurnContext) => Promise<void>;

/** Turn-state key of the error a Botkit handler threw (Botkit reports it to onTurnError, not to us). */
const TURN_ERROR = 'turnError';

/**
 * The error a failed turn answers with: the store being away is the person's "try again shortly"
 * (503), anything else an internal error. Undefined when the turn went well.
 */
export function turnFailure(context: TurnContext): StoreUnavailableError | AppError | undefined {
  const error = context.turnState.get(TURN_ERROR) as unknown;
  if (error === undefined) return undefined;
  return error instanceof StoreUnavailableError ? error : new AppError('internal');
}
type OutgoingMessage = Record<string, unknown> & { type: string; text?: string };

/** Whether a socket may speak for a session: true for a new session or with the session's token. */
export type SessionAuthoriser = (sessionId: string, token: string | undefined) => Promise<boolean>;

interface ChatSocket extends WebSocket {
  sessionId?: string;
  /** Frames of one socket are handled in order, also while a session is being authorised. */
  queue?: Promise<void>;
  alive?: boolean;
  tokens?: number;
  refilledAt?: number;
}

/**
 * Botkit's web adapter with the parts a public service needs: frames are size-limited and
 * validated before they reach Botkit (the upstream adapter trusts any JSON and keys its socket map
 * by whatever "user" says), floods are refused, replies route by delivery (socket or HTTP), and the
 * heartbeat stops on shutdown. The wire protocol stays Botkit's, so its web client works.
 */
export class ChatAdapter extends WebAdapter {
  private readonly sockets = new Map<string, ChatSocket>();
  private socketServer?: WebSocketServer;
  private heartbeat?: NodeJS.Timeout;
  private logic?: Logic;

  constructor(
    private readonly server: Server,
    private readonly languages: readonly string[],
    private readonly logger: Logger,
    private readonly authorise: SessionAuthoriser = async () => true,
    /** Other web origins whose pages may open the chat socket (CORS_ORIGINS: the partner-site widget). */
    private readonly allowedOrigins: readonly string[] = [],
  ) {
    super();
    this.onTurnError = async (context, error) => {
      if (error instanceof StoreUnavailableError) this.logger.warn({ sessionId: context.activity.from?.id }, 'turn failed: store unavailable');
      else this.logger.error({ err: { name: error.name, message: error.message, stack: error.stack }, sessionId: context.activity.from?.id }, 'turn failed');
      context.turnState.set(TURN_ERROR, error);
    };
  }

  /** Called by Botkit when the controller is created: start accepting websocket connections. */
  override init(botkit: { ready(cb: () => void): void; handleTurn(context: TurnContext): Promise<void> }): void {
    this.logic = botkit.handleTurn.bind(botkit);
    botkit.ready(() => this.listen());
  }

  private listen(): void {
    if (this.socketServer) return;
    this.socketServer = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = (request.url ?? '/').split('?')[0];
      if (!CHAT_SOCKET_PATHS.has(path)) {
        socket.destroy();
        return;
      }
      if (!socketOriginAllowed(request, this.allowedOrigins)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.socketServer!.handleUpgrade(request, socket, head, (ws) => this.accept(ws as ChatSocket));
    });
    this.heartbeat = setInterval(() => {
      for (const ws of this.socketServer?.clients ?? []) {
        const socket = ws as ChatSocket;
        if (socket.alive === false) {
          socket.terminate();
          continue;
        }
        socket.alive = false;
        socket.ping();
      }
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private accept(ws: ChatSocket): void {
    ws.alive = true;
    ws.tokens = SOCKET_BURST;
    ws.refilledAt = Date.now();
    ws.on('pong', () => (ws.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      if (ws.sessionId && this.sockets.get(ws.sessionId) === ws) this.sockets.delete(ws.sessionId);
    });
    ws.on('message', (data, isBinary) => {
      if (!this.takeToken(ws)) return this.sendError(ws, 'rate_limited', 'Too many messages. Please wait a moment.');
      const frame = parseSocketFrame(isBinary ? null : data.toString(), this.languages);
      if (!frame.ok) return this.sendError(ws, frame.code, frame.message);
      ws.queue = (ws.queue ?? Promise.resolve())
        .then(() => this.handleFrame(ws, frame.message, frame.token))
        .catch((error) => {
          if (error instanceof StoreUnavailableError) return this.sendError(ws, error.code, error.message);
          this.logger.error({ err: { name: error?.name, message: error?.message } }, 'socket turn failed');
          this.sendError(ws, 'internal', 'Internal error.');
        });
    });
  }

  /**
   * A socket binds to a session on its first frame. Binding to an existing session needs its token:
   * otherwise anyone who learnt a session id could take over its live deliveries (advisor replies).
   */
  private async handleFrame(ws: ChatSocket, message: InboundMessage, token: string | undefined): Promise<void> {
    if (ws.sessionId !== message.sessionId) {
      if (!(await this.authorise(message.sessionId, token))) {
        return this.sendError(ws, 'unauthorized', 'This session needs its session token.');
      }
      ws.sessionId = message.sessionId;
      this.sockets.set(message.sessionId, ws);
    }
    const failure = turnFailure(await this.runTurn(message, 'socket'));
    // Over HTTP the failure is the response; on the socket the person must hear of it too.
    if (failure) this.sendError(ws, failure.code, failure.message);
  }

  private takeToken(ws: ChatSocket): boolean {
    const now = Date.now();
    ws.tokens = Math.min(SOCKET_BURST, (ws.tokens ?? 0) + ((now - (ws.refilledAt ?? now)) / 1000) * SOCKET_REFILL_PER_SECOND);
    ws.refilledAt = now;
    if (ws.tokens < 1) return false;
    ws.tokens -= 1;
    return true;
  }

  private sendError(ws: WebSocket, code: string, message: string): void {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'error', error: { code, message } }));
  }

  /**
   * Runs one inbound message through the Botkit controller. For HTTP delivery the replies are
   * collected in the turn state and returned with it.
   */
  async runTurn(message: InboundMessage, delivery: InboundFields['delivery']): Promise<TurnContext> {
    if (!this.logic) throw new Error('adapter not initialised by Botkit');
    const channelData: InboundFields & Record<string, unknown> = { type: message.type, delivery, language: message.language };
    const activity: Partial<Activity> = {
      timestamp: new Date(),
      channelId: CHANNEL_ID,
      conversation: { id: message.sessionId } as Activity['conversation'],
      from: { id: message.sessionId, name: 'person' },
      recipient: { id: 'bot', name: 'bot' },
      channelData: message.type === 'message' ? channelData : { ...channelData, botkitEventType: message.type },
      text: message.text,
      type: message.type === 'message' ? ActivityTypes.Message : ActivityTypes.Event,
    };
    const context = new TurnContext(this, activity as Activity);
    await this.runMiddleware(context, this.logic);
    return context;
  }

  override async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const delivery = (context.activity.channelData as InboundFields | undefined)?.delivery;
    for (const activity of activities) {
      const message = toWireMessage(activity);
      if (delivery === 'socket') {
        this.deliver(String(activity.recipient?.id ?? context.activity.from.id), message);
      } else {
        const outbound = (context.turnState.get('httpBody') as OutgoingMessage[] | undefined) ?? [];
        outbound.push(message);
        context.turnState.set('httpBody', outbound);
      }
    }
    return [];
  }

  /** Sends a message to a person's open web chat; false when they have none open. */
  deliver(sessionId: string, message: OutgoingMessage): boolean {
    const ws = this.sockets.get(sessionId);
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  }

  override isConnected(sessionId: string): boolean {
    return this.sockets.get(sessionId)?.readyState === WebSocket.OPEN;
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const ws of this.socketServer?.clients ?? []) ws.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => (this.socketServer ? this.socketServer.close(() => resolve()) : resolve()));
  }
}

/**
 * Browsers let any page open a websocket to any host and only report the page's Origin, so the
 * server must check it: same host as the request (the web chat at /), or listed in CORS_ORIGINS (the
 * widget on a partner site). Without the check any website could embed the chat against ZEMIGRA's
 * will. No Origin at all means no browser (server-side clients, tests), which CORS never restricted.
 */
export function socketOriginAllowed(request: Pick<IncomingMessage, 'headers'>, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    const url = new URL(origin);
    return /^https?:$/.test(url.protocol) && url.host === request.headers.host;
  } catch {
    return false;
  }
}

/** Botkit web protocol: `{ type, text, ...channelData }` (quick_replies, sources ride in channelData). */
function toWireMessage(activity: Partial<Activity>): OutgoingMessage {
  return { ...(activity.channelData as Record<string, unknown> | undefined), type: String(activity.type ?? 'message'), text: activity.text };
}
