import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { NluService, type NluSnapshot, type NluTrainingInput } from './nlu.service';

/**
 * Training takes seconds; loading what an earlier start learnt takes milliseconds. The cache file is
 * named by a fingerprint of everything the result depends on — the training input (examples,
 * lexicon, dictionaries, language samples, options), the NLU's own code (every file of this folder)
 * and the Node/V8 version of the serialisation — so a change to any of them trains afresh, and a
 * cached model can never answer for content it was not trained on.
 */
export interface ModelCacheResult {
  nlu: NluService;
  source: 'cache' | 'trained';
  ms: number;
}

export function trainOrRestore(input: NluTrainingInput, cacheDir: string | null, onError: (error: Error) => void = () => undefined): ModelCacheResult {
  const started = Date.now();
  if (!cacheDir) return { nlu: NluService.train(input), source: 'trained', ms: Date.now() - started };
  const file = path.join(cacheDir, `nlu-${fingerprint(input)}.v8`);
  try {
    if (fs.existsSync(file)) {
      const snapshot = v8.deserialize(fs.readFileSync(file)) as NluSnapshot;
      return { nlu: NluService.restore(input, snapshot), source: 'cache', ms: Date.now() - started };
    }
  } catch (error) {
    // A damaged or foreign file is no reason not to start: train instead, and overwrite it below.
    onError(error as Error);
  }
  const nlu = NluService.train(input);
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written beside and renamed: a process reading at the same time sees the old file or the whole new one.
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, v8.serialize(nlu.snapshot()));
    fs.renameSync(temporary, file);
    removeOtherModels(cacheDir, path.basename(file));
  } catch (error) {
    onError(error as Error);
  }
  return { nlu, source: 'trained', ms: Date.now() - started };
}

let codeHash: string | undefined;

export function fingerprint(input: NluTrainingInput): string {
  codeHash ??= hashFolder(__dirname);
  return createHash('sha256').update(process.versions.v8).update('\0').update(codeHash).update('\0').update(JSON.stringify(input)).digest('hex').slice(0, 32);
}

function hashFolder(folder: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(ts|js)$/.test(entry.name)) hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(folder);
  return hash.digest('hex');
}

/** Models of older content or code are never read again: keep the folder from growing. */
function removeOtherModels(cacheDir: string, keep: string): void {
  for (const name of fs.readdirSync(cacheDir)) {
    if (name !== keep && /^nlu-[0-9a-f]{32}\.v8$/.test(name)) fs.rmSync(path.join(cacheDir, name), { force: true });
  }
}
