/*
 * `npm run bench`: in-process cost of understanding one message (language detection, NLU,
 * entities) plus knowledge retrieval, over the held-out messages; p50/p99 in µs. Also the time
 * to train at start-up. Writes bench/results/latest.json. Target (issue #2): p99 ≤ 2 ms.
 */
import fs from 'node:fs';
import path from 'node:path';
import { labelledTexts, loadIntentFiles } from '../src/content/intent-files';
import { loadBrain } from '../src/service';
import { percentile } from './percentile';

const PASSES = 20;
const TARGET_P99_US = 2000;

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const t0 = process.hrtime.bigint();
  const brain = await loadBrain({ CONTENT_DIR: root, DEFAULT_LANGUAGE: 'de' });
  const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const messages = labelledTexts(loadIntentFiles(path.join(root, 'tests', 'data', 'nlu-heldout'), brain.codes));

  const understandAndRetrieve = (text: string) => {
    const result = brain.nlu.analyse(text, { language: null, chosen: false });
    return brain.knowledge.retrieve({ language: result.language, intent: result.intent.name, text });
  };
  for (const m of messages) understandAndRetrieve(m.text); // warm-up: JIT and stem caches, as in a running service

  const timings: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const m of messages) {
      const start = process.hrtime.bigint();
      understandAndRetrieve(m.text);
      timings.push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  timings.sort((a, b) => a - b);
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    messages: messages.length,
    passes: PASSES,
    contentLoadAndTrainMs: Math.round(loadMs),
    inProcess: { p50Us: Math.round(percentile(timings, 50)), p99Us: Math.round(percentile(timings, 99)), maxUs: Math.round(timings[timings.length - 1]) },
    rssMb: Math.round(process.memoryUsage().rss / 1e6),
    targets: { p99Us: TARGET_P99_US },
  };
  // Merged like service.bench.ts does, so running this part alone keeps the service figures.
  const file = path.join(root, 'bench', 'results', 'latest.json');
  const previous = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ ...previous, ...result }, null, 2) + '\n');
  console.table({
    'content load + training (ms)': result.contentLoadAndTrainMs,
    'NLU + retrieval p50 (µs)': result.inProcess.p50Us,
    'NLU + retrieval p99 (µs)': result.inProcess.p99Us,
    'RSS (MB)': result.rssMb,
  });
  if (result.inProcess.p99Us > TARGET_P99_US) {
    console.error(`p99 ${result.inProcess.p99Us} µs is above the target of ${TARGET_P99_US} µs`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
