import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/service';

/**
 * The real service as its own process, killed with SIGKILL while messages are arriving, then
 * restarted on the same DATA_DIR: every message the service acknowledged (200) must still be there.
 */
/**
 * The service on a port of its own choosing (PORT=0): it logs the port it got, so no other test can
 * take the port between a probe and the start. Resolves with the base URL once the port is known.
 */
function startProcess(dataDir: string, port = 0): { child: ChildProcess; baseUrl: Promise<string> } {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', CHAT_RATE_LIMIT_PER_MINUTE: '0', SESSION_RATE_LIMIT_PER_MINUTE: '0', DOTENV_CONFIG_QUIET: 'true' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const baseUrl = new Promise<string>((resolve, reject) => {
    let buffer = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      // Only whole lines: a chunk may end in the middle of one.
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const port = /"port":(\d+),"msg":"listening"/.exec(line)?.[1];
        if (port) resolve(`http://127.0.0.1:${port}`);
      }
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code} before listening`)));
  });
  return { child, baseUrl };
}

async function waitUntilReady(baseUrl: string, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('service did not become ready');
}

/** Resolves when the process has ended, also when it ended before anyone asked. */
function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/** A chat request that gives up after a while: a hung request must fail the test, not hang it. */
function chat(baseUrl: string, body: Record<string, string>): Promise<Response> {
  return fetch(`${baseUrl}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
}

describe('kill -9 under load', () => {
  const processes: ChildProcess[] = [];
  afterAll(() => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('loses no acknowledged message and serves the sessions again after a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-crash-'));
    const started = startProcess(dataDir);
    const first = started.child;
    processes.push(first);
    const baseUrl = await started.baseUrl;
    const port = Number(new URL(baseUrl).port);
    await waitUntilReady(baseUrl);

    // 8 sessions, each sending its messages one after another (a person waits for the answer).
    const sessions = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const res = await chat(baseUrl, { text: `Hallo, ich bin Person ${i}` });
        expect(res.status).toBe(200);
        const body = (await res.json()) as { sessionId: string; sessionToken: string };
        return { ...body, acknowledged: [`Hallo, ich bin Person ${i}`] };
      }),
    );
    let killed = false;
    const statuses: number[] = [];
    const load = sessions.map(async (session, i) => {
      for (let n = 0; !killed; n++) {
        const text = `Person ${i} Nachricht ${n}: Wie lange dauert die Anerkennung?`;
        try {
          const res = await chat(baseUrl, { text, sessionId: session.sessionId });
          statuses.push(res.status);
          if (res.status === 200) {
            await res.json();
            session.acknowledged.push(text);
          }
        } catch {
          return; // the connection died with the process: this message was never acknowledged
        }
      }
    });
    // Let the load run, then kill without warning.
    const loadUntil = Date.now() + 120_000;
    while (sessions.reduce((sum, s) => sum + s.acknowledged.length, 0) < 80) {
      if (Date.now() > loadUntil) throw new Error(`fewer than 80 acknowledged messages in 2 minutes; statuses seen: ${[...new Set(statuses)].join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    first.kill('SIGKILL');
    killed = true;
    await Promise.all(load);
    await exited(first);

    // The same port again (it is free: its process is dead), so the same base URL reaches the new process.
    const restarted = startProcess(dataDir, port);
    restarted.baseUrl.catch(() => undefined);
    const second = restarted.child;
    processes.push(second);
    await waitUntilReady(baseUrl);
    try {
      for (const session of sessions) {
        const res = await fetch(`${baseUrl}/api/v1/chat/${session.sessionId}/messages`, { headers: { authorization: `Bearer ${session.sessionToken}` } });
        expect(res.status).toBe(200);
        const stored = ((await res.json()) as { messages: Array<{ role: string; text: string }> }).messages.filter((m) => m.role === 'user').map((m) => m.text);
        expect(session.acknowledged.filter((text) => !stored.includes(text))).toEqual([]);
      }
      // The journal goes on after the torn end: the same session answers and stores again.
      const again = await chat(baseUrl, { text: 'Bin wieder da', sessionId: sessions[0].sessionId });
      expect(again.status).toBe(200);
    } finally {
      second.kill('SIGTERM');
      await exited(second);
    }
  }, 240_000);
});
