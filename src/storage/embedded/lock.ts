import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded store has a single writer: two processes appending to one journal would interleave
 * lines and each replay only its own view. `DATA_DIR/.lock` holds the writer's pid; the service and
 * the advisor CLI both take it through the EmbeddedStore constructor, so the CLI refuses while the
 * service runs (and the other way round).
 */
export class StoreLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | null,
  ) {
    super(`The data directory ${dataDir} is in use by another process${pid ? ` (pid ${pid})` : ''}; the embedded store allows one writer only.`);
    this.name = 'StoreLockedError';
  }
}

/** Lock files this process holds, so a second store on the same directory in this process is refused too. */
const held = new Set<string>();

export const LOCK_FILE = '.lock';

/**
 * Takes `dataDir/.lock` or throws StoreLockedError. A lock whose pid is dead is stale (a killed
 * process) and taken over. A lock naming our own pid that this process does not hold is stale too:
 * in a container the service is pid 1 after every restart. Returns the release function.
 */
export function acquireDataDirLock(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file)) {
      held.add(file);
      return () => release(file);
    }
    const pid = readPid(file);
    const ours = pid === process.pid;
    if (pid !== null && (ours ? held.has(file) : isAlive(pid))) throw new StoreLockedError(dataDir, pid);
    // Stale: remove it and try again; the exclusive create decides between two racing takers.
    fs.rmSync(file, { force: true });
  }
  throw new StoreLockedError(dataDir, readPid(file));
}

/** Writes the pid to a temporary file and hard-links it into place: the lock appears atomically with its content. */
function createExclusive(file: string): boolean {
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, `${process.pid}\n`);
  try {
    fs.linkSync(tmp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function release(file: string): void {
  if (!held.delete(file)) return;
  // Only remove a lock that is still ours (it may have been taken over after a long pause).
  if (readPid(file) === process.pid) fs.rmSync(file, { force: true });
}

export function readPid(file: string): number | null {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
