import http from 'node:http';
import path from 'node:path';
import express from 'express';
import { createAdvisorDesk } from './advisors/advisor-desk';
import { LoginLockout } from './advisors/login-lockout';
import { AnalyticsService } from './analytics/analytics.service';
import { AnswerComposer } from './answer/answer-composer';
import { HandoffReplies } from './answer/handoff-replies';
import { ChatAdapter } from './channels/web.adapter';
import { DEFAULT_RETENTION_DAYS, type Config } from './config/config';
import { labelledTexts, loadConcepts, loadEntityDictionaries, loadIntentFiles } from './content/intent-files';
import { createBot } from './dialog/bot';
import { botPersonDelivery } from './dialog/person-delivery';
import { tokenMatches } from './dialog/middleware/session.middleware';
import { AppError } from './errors/app-error';
import type { EscalationService } from './escalation/escalation.service';
import { HandoffDesk } from './escalation/handoff-desk';
import { OfficeHours } from './escalation/office-hours';
import type { PersonDelivery } from './escalation/person-delivery';
import { advisorConsoleRoutes } from './http/advisor-console.routes';
import { advisorRoutes } from './http/advisor.routes';
import { botkitWebhookRoutes } from './http/botkit-webhook.routes';
import { chatRoutes } from './http/chat.routes';
import { localeRoutes } from './http/locale.routes';
import { metricsRoutes } from './http/metrics.routes';
import { PUBLIC_API_PATHS, publicApiCors, securityHeaders } from './http/security';
import { errorHandler, notFound } from './http/errors.middleware';
import { Texts } from './i18n/i18n';
import { loadLanguages, type LanguageCode, type LanguageInfo } from './i18n/languages';
import { loadArticles, type Article } from './knowledge/articles';
import { GuideBook } from './knowledge/guides';
import { KnowledgeBase } from './knowledge/knowledge-base';
import { ReferenceData } from './knowledge/reference-data';
import type { Logger } from './logging/logger';
import { trainOrRestore } from './nlu/model-cache';
import type { NluTrainingInput } from './nlu/nlu.service';
import { TextAnalyser } from './nlu/text/analyser';
import { startEscalationWebhook } from './notifications/webhook';
import { ServiceMetrics } from './observability/metrics';
import { ConversationErasure } from './privacy/conversation-erasure';
import { ConversationExporter } from './privacy/conversation-export';
import { RetentionSweeper } from './privacy/retention';
import { openStore } from './storage/open-store';
import type { Store } from './storage/store';

/** Where the content folders are, relative to CONTENT_DIR. */
export function contentPaths(root: string) {
  return {
    locales: path.join(root, 'locales'),
    intents: path.join(root, 'intents'),
    entities: path.join(root, 'intents', 'entities'),
    lexicon: path.join(root, 'intents', 'lexicon'),
    articles: path.join(root, 'knowledge', 'articles'),
    data: path.join(root, 'knowledge', 'data'),
    guides: path.join(root, 'knowledge', 'guides'),
    publicDir: path.join(root, 'public'),
  };
}

/**
 * What the NLU is trained on, from the content folders: the service's training and `npm run eval`'s
 * cross-validation (which swaps `examples` for each fold) use the same input.
 */
export function nluTrainingInput(parts: {
  languages: LanguageInfo[];
  defaultLanguage: LanguageCode;
  paths: ReturnType<typeof contentPaths>;
  reference: ReferenceData;
  guides: GuideBook;
  articles: Article[];
}): NluTrainingInput {
  const { languages, paths, reference, guides, articles } = parts;
  const intentFiles = loadIntentFiles(paths.intents, languages.map((l) => l.code));
  return {
    languages,
    defaultLanguage: parts.defaultLanguage,
    examples: labelledTexts(intentFiles),
    aspectIntents: intentFiles.filter((f) => f.aspect).map((f) => f.intent),
    concepts: loadConcepts(paths.lexicon),
    dictionaries: [...reference.dictionaryEntries(), ...loadEntityDictionaries(paths.entities)],
    languageSamples: articles.flatMap((a) => Object.entries(a.texts).map(([language, t]) => ({ language, text: `${t.title} ${t.body}` }))),
    articleIntents: Object.fromEntries(articles.map((a) => [a.id, a.intents[0]])),
    guideIntents: guides.intents(),
  };
}

/** Everything the service learns from its content folders at start-up. */
export async function loadBrain(config: Pick<Config, 'CONTENT_DIR' | 'DEFAULT_LANGUAGE'> & Partial<Pick<Config, 'NLU_CACHE_DIR' | 'RETENTION_DAYS'>>) {
  const paths = contentPaths(config.CONTENT_DIR);
  const languages = loadLanguages(paths.locales);
  const codes = languages.map((l) => l.code);
  if (!codes.includes(config.DEFAULT_LANGUAGE)) throw new Error(`DEFAULT_LANGUAGE ${config.DEFAULT_LANGUAGE} has no folder in locales/`);
  const texts = await Texts.load(paths.locales, codes, config.DEFAULT_LANGUAGE, { retentionDays: config.RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS });
  const reference = ReferenceData.load(paths.data);
  const guides = GuideBook.load(paths.guides);
  const articles = loadArticles(paths.articles);
  const nluInput = nluTrainingInput({ languages, defaultLanguage: config.DEFAULT_LANGUAGE, paths, reference, guides, articles });
  const cacheDir = config.NLU_CACHE_DIR && config.NLU_CACHE_DIR !== 'off' ? config.NLU_CACHE_DIR : null;
  const { nlu, source: nluSource } = trainOrRestore(nluInput, cacheDir);
  const knowledge = new KnowledgeBase(articles, new TextAnalyser(languages, config.DEFAULT_LANGUAGE));
  return { languages, codes, texts, reference, guides, knowledge, nlu, nluSource, nluInput, composer: new AnswerComposer(knowledge, reference, guides) };
}

export interface Service {
  server: http.Server;
  store: Store;
  adapter: ChatAdapter;
  /** The advisor side of escalations; the bot side opens escalations and reads the open one (`openFor`) through it. */
  escalations: EscalationService;
  listen(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The composition root: HTTP server, store, content, NLU, the Botkit controller and the routes.
 * /healthz answers from the first moment; /readyz and the API wait for `ready`.
 */
export interface ServiceOptions {
  /**
   * How advisor messages and hand-backs reach the person, for tests that need to see or break it.
   * Default: `botPersonDelivery` (stored, then pushed live on the person's websocket).
   */
  personDelivery?: (parts: { adapter: ChatAdapter; store: Store; logger: Logger }) => PersonDelivery;
  /** The embedded store's journal write; fault tests pass one that fails like a full disk. */
  journalWrite?: (fd: number, text: string) => number;
  /** Clock of the retention sweep and of export timestamps; tests move it forward by RETENTION_DAYS. */
  now?: () => Date;
}

export async function createService(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<Service> {
  const app = express();
  app.disable('x-powered-by');
  // Answers are per person and never re-fetched: hashing every body for an ETag is wasted work.
  app.set('etag', false);
  app.use(securityHeaders());
  const metrics = new ServiceMetrics(async () => (store ? (await store.escalations.list({ status: 'queued' })).length : 0));
  app.use(metrics.httpMiddleware());
  app.set('trust proxy', config.TRUST_PROXY_HOPS);
  const server = http.createServer(app);
  let ready = false;
  let store: Store | undefined;

  app.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const reachable = ready && store ? await store.isReachable() : false;
    if (reachable) return res.json({ status: 'ready' });
    res.status(503).json({ status: 'not_ready', reason: !ready ? 'starting: language models are being trained' : 'store unreachable' });
  });
  app.use((_req, _res, next) => next(ready ? undefined : new AppError('not_ready')));

  const started = Date.now();
  const opened = openStore(config, logger, options.journalWrite);
  store = opened.store;
  const brain = await loadBrain(config);
  const adapter = new ChatAdapter(server, brain.codes, logger, async (sessionId, token) => {
    const conversation = await store.conversations.get(sessionId);
    return !conversation || tokenMatches(conversation.tokenHash, token);
  }, config.CORS_ORIGINS);
  const handoffReplies = new HandoffReplies();
  const personDelivery = options.personDelivery?.({ adapter, store, logger }) ?? botPersonDelivery(adapter, store.conversations, brain.texts, handoffReplies);
  const desk = createAdvisorDesk(store, config, personDelivery, logger);
  const handoff = new HandoffDesk(desk.escalations, store.conversations, OfficeHours.parse(config.OFFICE_HOURS), desk.presence);
  desk.events.subscribe((event) => metrics.escalationEvent(event));
  createBot({ adapter, store, ...brain, handoff, handoffReplies, defaultLanguage: config.DEFAULT_LANGUAGE, logger, onUnderstood: (result) => metrics.understood(result) });

  const exporter = new ConversationExporter({ conversations: store.conversations, escalations: store.escalations, retentionDays: config.RETENTION_DAYS, now: options.now });
  const erasure = new ConversationErasure({ conversations: store.conversations, escalations: store.escalations, events: desk.events });
  app.use(PUBLIC_API_PATHS, publicApiCors(config.CORS_ORIGINS));
  app.use(
    chatRoutes({
      adapter,
      conversations: store.conversations,
      exporter,
      erasure,
      languages: brain.codes,
      rateLimitPerMinute: config.CHAT_RATE_LIMIT_PER_MINUTE,
      sessionRateLimitPerMinute: config.SESSION_RATE_LIMIT_PER_MINUTE,
      openEscalation: (sessionId) => desk.escalations.openFor(sessionId),
    }),
  );
  // Start-up work on the store: on the embedded store now, before `ready`; MongoDB may still be down
  // at start-up, so there it runs once MongoDB answers and the service is ready meanwhile (503s).
  const onceStoreAnswers = async (task: string, work: () => Promise<unknown>) => {
    const done = opened.ready.then(work);
    if (opened.store.kind === 'embedded') await done;
    else done.catch((error: Error) => logger.error({ err: { name: error.name }, task }, 'start-up task failed'));
  };
  await onceStoreAnswers('first admin', () => desk.accounts.ensureFirstAdmin(config.ADMIN_EMAIL, config.ADMIN_PASSWORD, logger));
  const webhook =
    config.WEBHOOK_URL && config.WEBHOOK_SECRET
      ? startEscalationWebhook(desk.events, { url: config.WEBHOOK_URL, secret: config.WEBHOOK_SECRET, events: config.WEBHOOK_EVENTS, logger })
      : undefined;
  if (webhook && config.WEBHOOK_URL) logger.info({ host: new URL(config.WEBHOOK_URL).host, events: config.WEBHOOK_EVENTS }, 'escalation webhook enabled');
  app.use(
    advisorRoutes({
      accounts: desk.accounts,
      advisors: store.advisors,
      audit: store.audit,
      auditLog: desk.audit,
      privacy: { conversations: store.conversations, erasure, exporter, auditLog: desk.audit },
      escalations: desk.escalations,
      events: desk.events,
      presence: desk.presence,
      analytics: new AnalyticsService(store),
      signer: desk.signer,
      loginRateLimitPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
      lockout: new LoginLockout({ maxFailures: config.LOGIN_LOCKOUT_FAILURES, lockMs: config.LOGIN_LOCKOUT_MINUTES * 60_000 }),
      advisorRateLimitPerMinute: config.ADVISOR_RATE_LIMIT_PER_MINUTE,
    }),
  );
  app.use(localeRoutes(brain.texts, brain.languages));
  app.use(botkitWebhookRoutes(adapter, brain.codes, config.CHAT_RATE_LIMIT_PER_MINUTE));
  app.use(advisorConsoleRoutes());
  app.use(express.static(contentPaths(config.CONTENT_DIR).publicDir, { index: 'index.html', maxAge: '1h' }));
  app.use(metricsRoutes({ metrics, token: config.METRICS_TOKEN, signer: desk.signer, advisors: store.advisors }));
  app.use(notFound);
  app.use(errorHandler(logger, () => metrics.storeUnavailable()));
  const retention = new RetentionSweeper({ store, retentionDays: config.RETENTION_DAYS, logger, now: options.now });
  // After a long downtime nothing past its retention is served (MongoDB's TTL indexes cover its wait).
  await onceStoreAnswers('retention sweep', () => retention.start());
  ready = true;
  logger.info({ ms: Date.now() - started, nlu: brain.nluSource, intents: brain.nlu.intents.length, articles: brain.knowledge.articles.length, store: store.kind }, 'service ready');

  const activeStore = store;
  return {
    server,
    store: activeStore,
    adapter,
    escalations: desk.escalations,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.PORT, config.HOST, () => {
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : config.PORT);
        });
      }),
    close: async () => {
      ready = false;
      await adapter.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // Skips pending retry waits; a request already on the wire may finish (5 s timeout at most).
      await webhook?.close();
      await retention.stop();
      await activeStore.close();
    },
  };
}
