/* Validates intents/, knowledge/ and locales/ (`npm run validate:content`); exit 1 on any problem. */
import path from 'node:path';
import { checkContent } from '../src/content/content-checks';

try {
  const problems = checkContent(path.resolve(__dirname, '..'));
  if (problems.length) {
    console.error(`${problems.length} content problem(s):\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log('content valid');
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
