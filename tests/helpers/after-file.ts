import fs from 'node:fs';

/**
 * What a test file starts or creates, cleaned up once the file is done (tests/setup-after-env.ts).
 *
 * Why not only the file's own afterAll: when a beforeAll times out, its afterAll runs while the start
 * is still pending, finds nothing to close, and the service or browser that arrives later keeps Jest
 * from exiting — CI then waits until it is killed. Here the pending start itself is kept, awaited and
 * closed.
 */
interface Closable {
  close(): Promise<void>;
}

const starts: Promise<Closable>[] = [];
const directories: string[] = [];

/** `starting`, with a `close` that is safe to call twice (the file's own afterAll and the sweep). */
export function closeAfterFile<T extends Closable>(starting: Promise<T>): Promise<T> {
  const once = starting.then((resource) => {
    const close = resource.close.bind(resource);
    let closing: Promise<void> | undefined;
    resource.close = () => (closing ??= close());
    return resource;
  });
  starts.push(once);
  return once;
}

/** A temporary directory the file created, removed after it (after the services using it are closed). */
export function removeAfterFile(directory: string): string {
  directories.push(directory);
  return directory;
}

export async function cleanUpFile(): Promise<void> {
  const started = await Promise.allSettled(starts.splice(0));
  await Promise.allSettled(started.map((s) => (s.status === 'fulfilled' ? s.value.close() : undefined)));
  for (const directory of directories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
}
