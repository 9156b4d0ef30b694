import path from 'node:path';
import { Texts } from '../../src/i18n/i18n';
import { ROOT } from '../helpers/service';

describe('Texts', () => {
  let texts: Texts;
  beforeAll(async () => {
    texts = await Texts.load(path.join(ROOT, 'locales'), ['de', 'en', 'ar'], 'de');
  });

  it('gives each language its own translator, the same one every time', () => {
    const en = texts.forLanguage('en');
    expect(texts.forLanguage('en')).toBe(en);
    expect(en('handback.resolved')).toContain('The advisor has closed this conversation');
    expect(texts.forLanguage('ar')('handback.resolved')).not.toBe(en('handback.resolved'));
  });

  it('still interpolates when options are given, also after the bare key was looked up', () => {
    const en = texts.forLanguage('en');
    en('callback.saved');
    expect(en('callback.saved', { contact: '+•• •••• 101' })).toContain('+•• •••• 101');
    expect(en('callback.saved', { contact: 'someone@example.org' })).toContain('someone@example.org');
  });

  it('fills in the configured values every text may use (the retention period in the privacy answer)', async () => {
    const configured = await Texts.load(path.join(ROOT, 'locales'), ['de', 'en', 'ar', 'uk', 'ru', 'fa'], 'de', { retentionDays: 30 });
    for (const language of configured.languages()) {
      const privacy = configured.forLanguage(language)('answers.privacy');
      expect({ language, named: privacy.includes('30') && !privacy.includes('{{') }).toEqual({ language, named: true });
    }
  });
});
