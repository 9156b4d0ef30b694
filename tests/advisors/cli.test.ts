import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyPassword } from '../../src/advisors/password';
import { EmbeddedStore } from '../../src/storage/embedded/embedded-store';

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'src', 'cli', 'advisor.cli.ts');

/** The CLI as `npm run advisor` runs it (ts-node, transpile only), as a separate process. */
function runCli(args: string[], options: { dataDir: string; env?: Record<string, string>; stdin?: string }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', CLI, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', DATA_DIR: options.dataDir, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'zemigra-cli-'));

describe('advisor CLI', () => {
  jest.setTimeout(60_000);

  it('creates (password from the environment or stdin), lists and disables advisors', async () => {
    const dataDir = tempDir();
    const admin = await runCli(['create', '--email', 'Chef@Zemigra.example', '--name', 'Chefin', '--role', 'admin'], { dataDir, env: { ADVISOR_PASSWORD: 'admin-password-123' } });
    expect(admin).toMatchObject({ code: 0, stdout: expect.stringMatching(/^created admin chef@zemigra\.example \(/) });
    const advisor = await runCli(['create', '--email', 'berater@zemigra.example', '--name', 'Berater Eins'], { dataDir, stdin: 'stdin-password-123\n' });
    expect(advisor.code).toBe(0);
    expect(advisor.stdout).toMatch(/created advisor berater@zemigra\.example/);

    const duplicate = await runCli(['create', '--email', 'BERATER@zemigra.example', '--name', 'X'], { dataDir, env: { ADVISOR_PASSWORD: 'another-password-1' } });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/already exists/);
    const short = await runCli(['create', '--email', 'kurz@zemigra.example', '--name', 'Kurz'], { dataDir, env: { ADVISOR_PASSWORD: 'short' } });
    expect(short.code).toBe(1);
    expect((await runCli(['create', '--email', 'a@b.de', '--name', 'A', '--password', 'on-the-command-line'], { dataDir })).code).toBe(2);
    expect((await runCli(['frobnicate'], { dataDir })).code).toBe(2);

    const disabled = await runCli(['disable', '--email', 'Berater@zemigra.example'], { dataDir });
    expect(disabled).toMatchObject({ code: 0, stdout: 'disabled berater@zemigra.example\n' });
    const lastAdmin = await runCli(['disable', '--email', 'chef@zemigra.example'], { dataDir });
    expect(lastAdmin.code).toBe(1);
    expect(lastAdmin.stderr).toMatch(/admin must remain/);

    const list = await runCli(['list'], { dataDir });
    expect(list.code).toBe(0);
    const rows = list.stdout.trim().split('\n').map((line) => line.split('\t').slice(1));
    expect(rows).toEqual([
      ['chef@zemigra.example', 'Chefin', 'admin', 'active'],
      ['berater@zemigra.example', 'Berater Eins', 'advisor', 'disabled'],
    ]);
    expect(list.stdout).not.toMatch(/scrypt/);

    // The stored hashes verify the passwords that were given, and the actions were audited as 'cli'.
    const store = new EmbeddedStore(dataDir);
    const berater = await store.advisors.getByEmail('berater@zemigra.example');
    expect(await verifyPassword('stdin-password-123', berater!.passwordHash)).toBe(true);
    const audit = await store.audit.list({ limit: 10 });
    expect(audit.map((e) => [e.actorId, e.action]).reverse()).toEqual([
      ['cli', 'advisor.create'],
      ['cli', 'advisor.create'],
      ['cli', 'advisor.disable'],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/password|@zemigra/);
    await store.close();
  });

  it('refuses while the service holds the data directory, and says to use the API', async () => {
    const dataDir = tempDir();
    const running = new EmbeddedStore(dataDir); // what the service holds while it runs
    try {
      const refused = await runCli(['create', '--email', 'x@zemigra.example', '--name', 'X'], { dataDir, env: { ADVISOR_PASSWORD: 'some-password-123' } });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`service is running on .*\\(pid ${process.pid}\\)`));
      expect(refused.stderr).toMatch(/Use the API instead/);
      expect((await runCli(['list'], { dataDir })).code).toBe(1);
      expect(await running.advisors.list()).toEqual([]);
    } finally {
      await running.close();
    }
  });

  it('takes over a stale lock left by a killed process', async () => {
    const dataDir = tempDir();
    const deadPid = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(dataDir, '.lock'), `${deadPid}\n`);
    const listed = await runCli(['list'], { dataDir });
    expect(listed.code).toBe(0);
    expect(fs.existsSync(path.join(dataDir, '.lock'))).toBe(false);
  });
});
