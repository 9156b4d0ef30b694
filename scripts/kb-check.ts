/* Checks the knowledge base (`npm run kb:check`): schema, all languages, links, review dates; exit 1 on any problem. */
import path from 'node:path';
import { checkKnowledge } from '../src/content/knowledge-checks';

const problems = checkKnowledge(path.resolve(__dirname, '..'));
if (problems.length) {
  console.error(`${problems.length} knowledge base problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('knowledge base valid');
