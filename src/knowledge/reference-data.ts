import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StartupError } from '../errors/app-error';
import type { LanguageCode } from '../i18n/languages';
import type { DictionaryEntry } from '../nlu/entities/dictionary-matcher';
import { readYaml } from '../content/yaml-files';

const sourceSchema = z.object({ title: z.string().min(1), url: z.string().url() });
/** YAML reads 2026-11-25 as a Date; keep it as the ISO day. */
export const reviewedSchema = z.union([z.string().regex(/^\d{4}-\d{2}-\d{2}$/), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v));
/** Data records are re-checked against their sources at least this often, unless they say otherwise. */
export const DEFAULT_REVIEW_INTERVAL_DAYS = 365;
const reviewFields = { reviewed: reviewedSchema, reviewIntervalDays: z.number().int().positive().optional() };

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
  /** Regional bodies that stand in for this one by place (ids of intents/entities/places.yaml): the chamber of the person's area. */
  regional: z.array(z.object({ body: z.string(), places: z.array(z.string().min(1)).min(1) })).optional(),
  ...reviewFields,
});

const professionSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  group: z.string().min(1),
  regulated: z.boolean(),
  /**
   * What the regulation covers: the work itself (a licence to practise, the default) or only the
   * title ("Ingenieur/in" may be used only with permission). The answer says which.
   */
  regulates: z.enum(['practice', 'title']).default('practice'),
  reference: z.string().optional(),
  /** Absent when the competent body is not confirmed: the answer then says so. */
  body: z.string().optional(),
  names: z.record(z.string(), z.array(z.union([z.string(), z.number()]).transform(String)).min(1)),
  /** Words that look like a name but mean something else ("Übersetzung" is not "Übersetzer"). */
  lookalikes: z.array(z.string().min(1)).optional(),
  /** Names that mean something else in messages of a language: `{ de: [Chef] }`, the boss in German. */
  falseFriends: z.record(z.string(), z.array(z.string().min(1)).min(1)).optional(),
  sources: z.array(sourceSchema).min(1),
  ...reviewFields,
}).refine(
  (p) => Object.values(p.falseFriends ?? {}).flat().every((word) => Object.values(p.names).flat().some((name) => name.toLowerCase() === word.toLowerCase())),
  (p) => ({ message: `${p.id}: every false friend must be one of its names` }),
);

/** A word that names several professions ("Mechaniker"): the bot asks which one is meant. */
const ambiguousSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  candidates: z.array(z.string()).min(2).max(6),
  names: z.record(z.string(), z.array(z.string().min(1)).min(1)),
  lookalikes: z.array(z.string().min(1)).optional(),
});

export type CompetentBody = z.infer<typeof bodySchema>;
export type AmbiguousProfession = z.infer<typeof ambiguousSchema>;
export type Profession = z.infer<typeof professionSchema>;

/** Entity type of a word that names several professions. */
export const AMBIGUOUS_PROFESSION = 'ambiguous_profession';

/** Professions and the bodies that recognise them in Sachsen-Anhalt (knowledge/data). */
export class ReferenceData {
  private readonly professionsById = new Map<string, Profession>();
  private readonly bodiesById = new Map<string, CompetentBody>();
  private readonly ambiguousById = new Map<string, AmbiguousProfession>();

  constructor(professions: Profession[], bodies: CompetentBody[], ambiguous: AmbiguousProfession[] = []) {
    for (const body of bodies) this.bodiesById.set(body.id, body);
    for (const body of bodies) {
      const unknown = (body.regional ?? []).filter((r) => !this.bodiesById.has(r.body)).map((r) => r.body);
      if (unknown.length) throw new StartupError(`body ${body.id}: unknown regional bodies ${unknown.join(', ')}`);
    }
    for (const profession of professions) {
      if (profession.body && !this.bodiesById.has(profession.body)) {
        throw new StartupError(`profession ${profession.id}: unknown body "${profession.body}"`);
      }
      this.professionsById.set(profession.id, profession);
    }
    for (const term of ambiguous) {
      const unknown = term.candidates.filter((id) => !this.professionsById.has(id));
      if (unknown.length) throw new StartupError(`ambiguous profession ${term.id}: unknown professions ${unknown.join(', ')}`);
      this.ambiguousById.set(term.id, term);
    }
  }

  static load(dataDir: string): ReferenceData {
    const file = (name: string) => path.join(dataDir, name);
    const professions = fs.existsSync(file('professions.yaml')) ? readYaml(file('professions.yaml'), z.array(professionSchema)) : [];
    const bodies = fs.existsSync(file('bodies.yaml')) ? readYaml(file('bodies.yaml'), z.array(bodySchema)) : [];
    const ambiguous = fs.existsSync(file('ambiguous-professions.yaml')) ? readYaml(file('ambiguous-professions.yaml'), z.array(ambiguousSchema)) : [];
    return new ReferenceData(professions, bodies, ambiguous);
  }

  profession(id: string): Profession | undefined {
    return this.professionsById.get(id);
  }

  /** The professions an ambiguous word may mean. */
  candidatesFor(ambiguousId: string): Profession[] {
    return (this.ambiguousById.get(ambiguousId)?.candidates ?? []).map((id) => this.professionsById.get(id)!);
  }

  body(id: string | undefined): CompetentBody | undefined {
    return id ? this.bodiesById.get(id) : undefined;
  }

  /** The body, or the regional one that covers `place` (a place entity id) when the body is split by area. */
  bodyAt(id: string | undefined, place: string | undefined): CompetentBody | undefined {
    const body = this.body(id);
    const regional = place ? body?.regional?.find((r) => r.places.includes(place)) : undefined;
    return regional ? this.bodiesById.get(regional.body) : body;
  }

  /** Display name of a profession in a language, falling back to German. */
  professionName(profession: Profession, language: LanguageCode): string {
    return (profession.names[language] ?? profession.names.de ?? Object.values(profession.names)[0])[0];
  }

  bodies(): CompetentBody[] {
    return [...this.bodiesById.values()];
  }

  professions(): Profession[] {
    return [...this.professionsById.values()];
  }

  dictionaryEntries(): DictionaryEntry[] {
    return [
      ...this.professions().map((p) => ({ type: 'profession', id: p.id, names: Object.values(p.names).flat(), lookalikes: p.lookalikes, falseFriends: p.falseFriends })),
      ...[...this.ambiguousById.values()].map((a) => ({ type: AMBIGUOUS_PROFESSION, id: a.id, names: Object.values(a.names).flat(), lookalikes: a.lookalikes })),
    ];
  }
}
