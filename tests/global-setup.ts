import path from 'node:path';

/**
 * Trains the NLU once, into the model cache the tests' services restore from. On a machine with a
 * cold cache (every CI run) each worker's first service would otherwise train at the same moment,
 * and on two shared cores that pushed start-up hooks past their time-outs.
 */
export default async function warmModelCache(): Promise<void> {
  // Before natural is loaded: it loads dotenv, which prints tips on stdout.
  process.env.DOTENV_CONFIG_QUIET = 'true';
  const { loadConfig } = await import('../src/config/config');
  const { loadBrain } = await import('../src/service');
  const config = loadConfig({});
  await loadBrain({ CONTENT_DIR: path.resolve(__dirname, '..'), DEFAULT_LANGUAGE: config.DEFAULT_LANGUAGE, NLU_CACHE_DIR: config.NLU_CACHE_DIR });
}
