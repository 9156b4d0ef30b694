/*
 * `npm run bench` (second part): the whole service as its own process, measured from outside.
 *   - start-up: process start → /readyz 200;
 *   - HTTP: autocannon against POST /api/v1/chat with held-out messages of all six languages in
 *     conversations of 6 messages, each in one language, and in the same run against a bare Botkit echo bot (bench/echo-bot.ts) → req/s,
 *     latency percentiles, and the ratio; for reference also against the echo bot that runs our NLU
 *     and retrieval and nothing else (UNDERSTAND=1), which shows what understanding alone costs;
 *   - websocket: 200 concurrent web-chat clients, each a short conversation → errors, p99;
 *   - memory: RSS after 10,000 messages, and its growth after warm-up.
 * Prints a table and merges its figures into bench/results/latest.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import { labelledTexts, loadIntentFiles } from '../src/content/intent-files';
import { percentile } from './percentile';

const ROOT = path.resolve(__dirname, '..');
const LANGUAGES = ['de', 'en', 'ar', 'uk', 'ru', 'fa'];
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = 10;
/** Messages per conversation in the HTTP runs. */
const CONVERSATION_LENGTH = 6;
const SOCKET_CLIENTS = 200;
const MEMORY_MESSAGES = 10_000;
const TARGETS = { throughputRatio: 0.75, startupMs: 3000, rssMb: 250, rssGrowth: 0.1 };

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `.js` (the built service, as `npm start` runs it) directly, `.ts` (the echo bot) through ts-node. */
function start(script: string, env: Record<string, string>): ChildProcess {
  const args = script.endsWith('.ts') ? ['-r', 'ts-node/register/transpile-only', path.join(ROOT, script)] : [path.join(ROOT, script)];
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DOTENV_CONFIG_QUIET: 'true', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitReady(url: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await fetch(`${url}/readyz`).then((r) => r.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${url} did not become ready`);
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Math.round(Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
}

/** Each request takes the next body, round the list: a mix of languages, intents and sessions. */
function rotating(bodies: string[]): autocannon.Request[] {
  let next = 0;
  return [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }];
}

async function load(url: string, bodies: string[]): Promise<LoadResult> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json' },
    requests: rotating(bodies),
  });
  return { requestsPerSecond: Math.round(result.requests.average), p50Ms: result.latency.p50, p99Ms: result.latency.p99, errors: result.errors + result.timeouts, non2xx: result.non2xx };
}

/** 200 clients at once, each: open, three messages one after another (waiting for the answer), close. */
async function socketClients(url: string, texts: string[]): Promise<{ clients: number; messages: number; errors: number; p50Ms: number; p99Ms: number }> {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(
    Array.from({ length: SOCKET_CLIENTS }, (_, i) =>
      new Promise<void>((resolve) => {
        const ws = new WebSocket(url.replace('http', 'ws'));
        const user = `bench-socket-${i}-${Date.now()}`;
        let sent = 0;
        let sentAt = 0;
        const send = () => {
          sentAt = performance.now();
          ws.send(JSON.stringify({ type: 'message', text: texts[(i * 3 + sent) % texts.length], user, channel: 'websocket' }));
          sent++;
        };
        const timer = setTimeout(() => {
          errors++;
          ws.terminate();
        }, 30_000);
        ws.on('open', send);
        ws.on('message', (data) => {
          const message = JSON.parse(String(data)) as { type: string };
          if (message.type === 'error') errors++;
          if (message.type !== 'message' && message.type !== 'error') return;
          latencies.push(performance.now() - sentAt);
          if (sent < 3) return send();
          clearTimeout(timer);
          ws.close();
        });
        ws.on('error', () => errors++);
        ws.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      }),
    ),
  );
  latencies.sort((a, b) => a - b);
  const at = (p: number) => Math.round(percentile(latencies, p));
  return { clients: SOCKET_CLIENTS, messages: latencies.length, errors, p50Ms: at(50), p99Ms: at(99) };
}

async function main(): Promise<void> {
  const examples = labelledTexts(loadIntentFiles(path.join(ROOT, 'tests', 'data', 'nlu-heldout'), LANGUAGES));
  const texts = examples.map((e) => e.text);
  // Conversations as people have them: a few messages, all in one language. (A handful of long
  // sessions would soon all wait for an advisor after their first urgent message.)
  const seen = new Map<string, number>();
  const sessions = examples.map(({ language }) => {
    const n = seen.get(language) ?? 0;
    seen.set(language, n + 1);
    return `bench-session-${language}-${String(Math.floor(n / CONVERSATION_LENGTH)).padStart(3, '0')}`;
  });
  const chatBodies = texts.map((text, i) => JSON.stringify({ text, sessionId: sessions[i] }));
  const echoBodies = texts.map((text, i) => JSON.stringify({ type: 'message', text, user: sessions[i], channel: 'webhook' }));

  const servicePort = await freePort();
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-bench-'));
  if (!fs.existsSync(path.join(ROOT, 'dist', 'main.js'))) throw new Error('dist/main.js is missing: run `npm run build` first (npm run bench does)');
  const serviceEnv = { PORT: String(servicePort), HOST: '127.0.0.1', DATA_DIR: dataDir, CHAT_RATE_LIMIT_PER_MINUTE: '0', SESSION_RATE_LIMIT_PER_MINUTE: '0', NLU_CACHE_DIR: path.join(dataDir, 'nlu-cache') };
  // Cold: the first start after a deployment trains the NLU and caches it; warm: every later start.
  let startedAt = performance.now();
  const cold = start('dist/main.js', serviceEnv);
  await waitReady(serviceUrl);
  const coldStartupMs = Math.round(performance.now() - startedAt);
  await stop(cold);
  startedAt = performance.now();
  const service = start('dist/main.js', serviceEnv);
  const echoPort = await freePort();
  const echoUrl = `http://127.0.0.1:${echoPort}`;
  const understandingPort = await freePort();
  const understandingUrl = `http://127.0.0.1:${understandingPort}`;
  let echo: ChildProcess | undefined;
  let understandingEcho: ChildProcess | undefined;
  try {
    await waitReady(serviceUrl);
    const startupMs = Math.round(performance.now() - startedAt);
    echo = start('bench/echo-bot.ts', { PORT: String(echoPort) });
    understandingEcho = start('bench/echo-bot.ts', { PORT: String(understandingPort), UNDERSTAND: '1', NLU_CACHE_DIR: serviceEnv.NLU_CACHE_DIR });
    await waitReady(echoUrl);
    await waitReady(understandingUrl);

    // Warm-up of both (JIT, caches, first journal pages), then the measured runs back to back.
    await autocannon({ url: `${serviceUrl}/api/v1/chat`, method: 'POST', connections: CONNECTIONS, amount: 500, headers: { 'content-type': 'application/json' }, body: chatBodies[0] });
    for (const url of [echoUrl, understandingUrl]) {
      await autocannon({ url: `${url}/api/messages`, method: 'POST', connections: CONNECTIONS, amount: 500, headers: { 'content-type': 'application/json' }, body: echoBodies[0] });
    }
    const chat = await load(`${serviceUrl}/api/v1/chat`, chatBodies);
    const bare = await load(`${echoUrl}/api/messages`, echoBodies);
    const understandingOnly = await load(`${understandingUrl}/api/messages`, echoBodies);
    await stop(echo);
    echo = undefined;
    await stop(understandingEcho);
    understandingEcho = undefined;

    const sockets = await socketClients(serviceUrl, texts);

    // Memory on a fresh (warm-started) process with an empty store, so the figures are about 10,000
    // messages and not about everything the throughput runs above sent: 1,000 messages of warm-up,
    // then MEMORY_MESSAGES more.
    await stop(service);
    const memoryDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-bench-memory-'));
    const memoryService = start('dist/main.js', { ...serviceEnv, DATA_DIR: memoryDataDir, NLU_CACHE_DIR: serviceEnv.NLU_CACHE_DIR });
    await waitReady(serviceUrl);
    await autocannon({ url: `${serviceUrl}/api/v1/chat`, method: 'POST', connections: CONNECTIONS, amount: 1_000, headers: { 'content-type': 'application/json' }, requests: rotating(chatBodies) });
    const rssAfterWarmUp = rssMb(memoryService.pid!);
    await autocannon({
      url: `${serviceUrl}/api/v1/chat`,
      method: 'POST',
      connections: CONNECTIONS,
      amount: MEMORY_MESSAGES,
      headers: { 'content-type': 'application/json' },
      requests: rotating(chatBodies),
    });
    const rssAfter = rssMb(memoryService.pid!);
    await stop(memoryService);
    fs.rmSync(memoryDataDir, { recursive: true, force: true });

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: os.cpus().length,
      startupMs,
      coldStartupMs,
      http: {
        durationS: DURATION_S,
        connections: CONNECTIONS,
        chat,
        echo: bare,
        ratio: Number((chat.requestsPerSecond / bare.requestsPerSecond).toFixed(2)),
        echoWithUnderstanding: understandingOnly,
        echoWithUnderstandingRatio: Number((understandingOnly.requestsPerSecond / bare.requestsPerSecond).toFixed(2)),
      },
      websocket: sockets,
      memory: { rssAfterWarmUpMb: rssAfterWarmUp, rssAfter10kMessagesMb: rssAfter, growth: Number(((rssAfter - rssAfterWarmUp) / rssAfterWarmUp).toFixed(3)) },
      targets: TARGETS,
    };
    const file = path.join(ROOT, 'bench', 'results', 'latest.json');
    const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ ...previous, service: results }, null, 2) + '\n');

    const row = (name: string, value: string | number, target: string, ok: boolean) => ({ measure: name, value, target, met: ok ? 'yes' : 'NO' });
    console.table([
      row('start-up to /readyz (ms)', startupMs, `≤ ${TARGETS.startupMs}`, startupMs <= TARGETS.startupMs),
      row('first start after a content change (ms)', coldStartupMs, '', true),
      row('POST /api/v1/chat (req/s)', chat.requestsPerSecond, '', true),
      row('bare Botkit echo (req/s)', bare.requestsPerSecond, '', true),
      row('chat / echo', results.http.ratio, `≥ ${TARGETS.throughputRatio}`, results.http.ratio >= TARGETS.throughputRatio),
      row('echo + our NLU and retrieval only (req/s)', understandingOnly.requestsPerSecond, '', true),
      row('  … / echo (reference, no target)', results.http.echoWithUnderstandingRatio, '', true),
      row('chat latency p50 / p99 (ms)', `${chat.p50Ms} / ${chat.p99Ms}`, '', chat.errors + chat.non2xx === 0),
      row('echo latency p50 / p99 (ms)', `${bare.p50Ms} / ${bare.p99Ms}`, '', true),
      row(`websocket ${SOCKET_CLIENTS} clients: errors`, sockets.errors, '0', sockets.errors === 0),
      row('websocket p50 / p99 (ms)', `${sockets.p50Ms} / ${sockets.p99Ms}`, '', true),
      row(`RSS after ${MEMORY_MESSAGES} messages (MB)`, rssAfter, `≤ ${TARGETS.rssMb}`, rssAfter <= TARGETS.rssMb),
      row('RSS growth after warm-up', `${Math.round(results.memory.growth * 100)} %`, `≤ ${TARGETS.rssGrowth * 100} %`, results.memory.growth <= TARGETS.rssGrowth),
    ]);
    const missed = startupMs > TARGETS.startupMs || results.http.ratio < TARGETS.throughputRatio || sockets.errors > 0 || rssAfter > TARGETS.rssMb || results.memory.growth > TARGETS.rssGrowth || chat.errors + chat.non2xx > 0;
    if (missed) process.exitCode = 1;
  } finally {
    if (echo) await stop(echo);
    if (understandingEcho) await stop(understandingEcho);
    await stop(service);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
