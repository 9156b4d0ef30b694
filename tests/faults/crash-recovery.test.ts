import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../helpers/service';

/**
 * The real service as its own process, killed with SIGKILL while messages are arriving, then
 * restarted on the same DATA_DIR: every message the service acknowledged (200) must still be there.
 */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function startProcess(dataDir: string, port: number): ChildProcess {
  return spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent', CHAT_RATE_LIMIT_PER_MINUTE: '0', SESSION_RATE_LIMIT_PER_MINUTE: '0', DOTENV_CONFIG_QUIET: 'true' },
    stdio: 'ignore',
  });
}

async function waitUntilReady(baseUrl: string, timeoutMs = 90_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(`${baseUrl}/readyz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('service did not become ready');
}

describe('kill -9 under load', () => {
  const processes: ChildProcess[] = [];
  afterAll(() => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('loses no acknowledged message and serves the sessions again after a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-crash-'));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const first = startProcess(dataDir, port);
    processes.push(first);
    await waitUntilReady(baseUrl);

    // 8 sessions, each sending its messages one after another (a person waits for the answer).
    const sessions = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const res = await fetch(`${baseUrl}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: `Hallo, ich bin Person ${i}` }) });
        const body = (await res.json()) as { sessionId: string; sessionToken: string };
        return { ...body, acknowledged: [`Hallo, ich bin Person ${i}`] };
      }),
    );
    let killed = false;
    const load = sessions.map(async (session, i) => {
      for (let n = 0; !killed; n++) {
        const text = `Person ${i} Nachricht ${n}: Wie lange dauert die Anerkennung?`;
        try {
          const res = await fetch(`${baseUrl}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, sessionId: session.sessionId }) });
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
    while (sessions.reduce((sum, s) => sum + s.acknowledged.length, 0) < 80) await new Promise((resolve) => setTimeout(resolve, 20));
    first.kill('SIGKILL');
    killed = true;
    await Promise.all(load);
    await new Promise((resolve) => first.once('exit', resolve));

    const second = startProcess(dataDir, port);
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
      const again = await fetch(`${baseUrl}/api/v1/chat`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'Bin wieder da', sessionId: sessions[0].sessionId }) });
      expect(again.status).toBe(200);
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
  }, 240_000);
});
