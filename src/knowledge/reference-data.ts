import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';
import type { LanguageCode } from '../i18n/languages';
import type { DictionaryEntry } from '../nlu/entities/dictionary-matcher';
import { readYaml } from '../content/yaml-files';

const sourceSchema = z.object({ title: z.string().min(1), url: z.string().url() });

const bodySchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  city: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  url: z.string().url(),
  confirmed: z.boolean(),
  decides: z.record(z.string(), z.string().min(1)),
  note: z.record(z.string(), z.string().min(1)).optional(),
  sources: z.array(sourceSchema).min(1),
});

const professionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  group: z.string().min(1),
  regulated: z.boolean(),
  reference: z.string().optional(),
  /** Absent when the competent body is not confirmed: the answer then says so. */
  body: z.string().optional(),
  names: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String)).min(1)),
});

export type CompetentBody = z.infer<typeof bodySchema>;
export type Profession = z.infer<typeof professionSchema>;

/** Professions and the bodies that recognise them in Sachsen-Anhalt (knowledge/data). */
export class ReferenceData {
  private readonly professionsById = new Map<string, Profession>();
  private readonly bodiesById = new Map<string, CompetentBody>();

  constructor(professions: Profession[], bodies: CompetentBody[]) {
    for (const body of bodies) this.bodiesById.set(body.id, body);
    for (const profession of professions) {
      if (profession.body && !this.bodiesById.has(profession.body)) {
        throw new StartupError(`profession ${profession.id}: unknown body "${profession.body}"`);
      }
      this.professionsById.set(profession.id, profession);
    }
  }

  static load(dataDir: string): ReferenceData {
    const file = (name: string) => path.join(dataDir, name);
    const professions = fs.existsSync(file('professions.yaml')) ? readYaml(file('professions.yaml'), z.array(professionSchema)) : [];
    const bodies = fs.existsSync(file('bodies.yaml')) ? readYaml(file('bodies.yaml'), z.array(bodySchema)) : [];
    return new ReferenceData(professions, bodies);
  }

  profession(id: string): Profession | undefined {
    return this.professionsById.get(id);
  }

  body(id: string | undefined): CompetentBody | undefined {
    return id ? this.bodiesById.get(id) : undefined;
  }

  /** Display name of a profession in a language, falling back to German. */
  professionName(profession: Profession, language: LanguageCode): string {
    return (profession.names[language] ?? profession.names.de ?? Object.values(profession.names)[0])[0];
  }

  professions(): Profession[] {
    return [...this.professionsById.values()];
  }

  dictionaryEntries(): DictionaryEntry[] {
    return this.professions().map((p) => ({ type: 'profession', id: p.id, names: Object.values(p.names).flat() }));
  }
}
