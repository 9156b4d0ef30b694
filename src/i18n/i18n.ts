import fs from 'node:fs';
import path from 'node:path';
import i18next, { type i18n, type Resource, type TFunction } from 'i18next';
import type { LanguageCode } from './languages';

export type Translate = TFunction;

/**
 * Fixed texts from `locales/<lng>/<namespace>.json`. Each turn takes its own fixed translator
 * (`forLanguage`) instead of switching a global language, which would leak between concurrent users.
 */
export class Texts {
  private readonly translators = new Map<string, Translate>();

  private constructor(
    private readonly instance: i18n,
    private readonly codes: LanguageCode[],
  ) {}

  /** `variables`: values every text may use, such as {{retentionDays}} from the configuration. */
  static async load(localesDir: string, languages: LanguageCode[], fallbackLanguage: LanguageCode, variables: Record<string, string | number> = {}): Promise<Texts> {
    const resources: Record<string, Record<string, unknown>> = {};
    const namespaces = new Set<string>();
    for (const lng of languages) {
      resources[lng] = {};
      for (const file of fs.readdirSync(path.join(localesDir, lng))) {
        if (!file.endsWith('.json')) continue;
        const ns = file.slice(0, -'.json'.length);
        namespaces.add(ns);
        resources[lng][ns] = JSON.parse(fs.readFileSync(path.join(localesDir, lng, file), 'utf8'));
      }
    }
    const instance = i18next.createInstance();
    await instance.init({
      resources: resources as Resource,
      lng: fallbackLanguage,
      fallbackLng: fallbackLanguage,
      supportedLngs: languages,
      ns: [...namespaces],
      defaultNS: 'chat',
      interpolation: { escapeValue: false, defaultVariables: variables },
      returnNull: false,
      initImmediate: false,
      // Keep stdout for structured logs only.
      showSupportNotice: false,
    });
    return new Texts(instance, languages);
  }

  languages(): LanguageCode[] {
    return [...this.codes];
  }

  forLanguage(language: LanguageCode, namespace = 'chat'): Translate {
    const id = `${language}\u0000${namespace}`;
    let translate = this.translators.get(id);
    if (!translate) this.translators.set(id, (translate = remembering(this.instance.getFixedT(language, namespace))));
    return translate;
  }

  has(language: LanguageCode, key: string, namespace = 'chat'): boolean {
    return this.instance.exists(key, { lng: language, ns: namespace, fallbackLng: false });
  }

  /** All resources of one language and namespace, e.g. for the web chat's UI strings. */
  bundle(language: LanguageCode, namespace: string): Record<string, unknown> | undefined {
    return this.instance.getResourceBundle(language, namespace) as Record<string, unknown> | undefined;
  }
}

/**
 * The texts do not change while the service runs, and every answer looks up several (buttons,
 * next steps): a key asked for without options is translated once. Keys come from our code and
 * content, never from what people type, so the cache stays small.
 */
function remembering(translate: TFunction): Translate {
  const known = new Map<string, string>();
  const remembered = (key: unknown, ...rest: unknown[]): unknown => {
    if (typeof key !== 'string' || rest.length > 0) return (translate as unknown as (...args: unknown[]) => unknown)(key, ...rest);
    let text = known.get(key);
    if (text === undefined) known.set(key, (text = String(translate(key))));
    return text;
  };
  return remembered as unknown as Translate;
}
