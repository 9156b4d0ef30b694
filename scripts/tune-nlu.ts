/*
 * `npm run tune -- '[{"featureDropout":0.35},{"epochs":100}]'`: scores variants of the training
 * options by stratified 5-fold cross-validation on intents/ with the product's own pipeline
 * (NluService.train, the same folds as `npm run eval`), so they are chosen without ever looking at
 * the held-out set. An empty object is the current DEFAULT_TRAINING; `seed` varies the folds'
 * training order, to tell a real gain from noise. Fallback thresholds: `npm run calibrate`.
 */
import { DEFAULT_TRAINING, type TrainingOptions } from '../src/nlu/classifier/softmax-regression';
import { crossValidate } from '../src/nlu/cross-validation';
import { loadBrain } from '../src/service';

const FOLDS = 5;
const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

async function main(): Promise<void> {
  const variants = JSON.parse(process.argv[2] ?? '[{}]') as Partial<TrainingOptions>[];
  if (!Array.isArray(variants)) throw new Error('pass a JSON array of training option objects, e.g. \'[{}, {"featureDropout": 0.35}]\'');
  const brain = await loadBrain({ CONTENT_DIR: '.', DEFAULT_LANGUAGE: 'de', NLU_CACHE_DIR: 'off' });
  console.log(`${FOLDS}-fold cross-validation on intents/ (${brain.nluInput.examples.length} phrases); current: ${JSON.stringify(DEFAULT_TRAINING)}`);
  for (const variant of variants) {
    const startedAt = performance.now();
    const cv = crossValidate({ ...brain.nluInput, training: { ...DEFAULT_TRAINING, ...variant } }, FOLDS);
    const languages = Object.keys(cv.accuracy).filter((key) => key !== 'all');
    const perLanguage = languages.map((language) => `${language} ${pct(cv.accuracy[language].mean)}`).join(', ');
    console.log(`${JSON.stringify(variant)}  accuracy ${pct(cv.accuracy.all.mean)} ± ${pct(cv.accuracy.all.sd)}  (${perLanguage})  ${Math.round((performance.now() - startedAt) / 1000)} s`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
