/**
 * Trains the NLU once, into the model cache the tests' services restore from. On a machine with a
 * cold cache (every CI run) each worker's first service would otherwise train at the same moment,
 * and on two shared cores that pushed start-up hooks past their time-outs.
 */
export default async function warmModelCache(): Promise<void> {
  // Before natural is loaded: it loads dotenv, which prints tips on stdout.
  process.env.DOTENV_CONFIG_QUIET = 'true';
  const { sharedBrain } = await import('./helpers/service');
  await sharedBrain();
}
