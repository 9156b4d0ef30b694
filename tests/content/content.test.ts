import { checkContent } from '../../src/content/content-checks';
import { ROOT } from '../helpers/service';

describe('content files (intents/, knowledge/, locales/)', () => {
  it('are valid, complete in every language and consistent with each other', () => {
    expect(checkContent(ROOT)).toEqual([]);
  });
});
