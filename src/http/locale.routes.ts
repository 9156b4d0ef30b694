import { Router } from 'express';
import { AppError } from '../errors/app-error';
import type { Texts } from '../i18n/i18n';
import type { LanguageInfo } from '../i18n/languages';

/** UI texts for the web chat, from the same locales as the bot's answers. */
export function localeRoutes(texts: Texts, languages: LanguageInfo[]): Router {
  const router = Router();
  router.get('/api/v1/languages', (_req, res) => {
    res.json({ languages: languages.map(({ code, name, dir }) => ({ code, name, dir })) });
  });
  router.get('/api/v1/locales/:language', (req, res) => {
    const language = languages.find((l) => l.code === req.params.language);
    if (!language) throw new AppError('not_found', 'Unknown language.');
    res.set('Cache-Control', 'public, max-age=300');
    res.json({ language: language.code, dir: language.dir, ui: texts.bundle(language.code, 'ui'), privacyNotice: texts.forLanguage(language.code)('privacyNotice') });
  });
  return router;
}
