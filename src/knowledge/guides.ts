import path from 'node:path';
import { z } from 'zod';
import { listFiles, readYaml } from '../content/yaml-files';
import { StartupError } from '../errors/app-error';
import type { LanguageCode } from '../i18n/languages';
import type { Source } from '../storage/store';
import { reviewedSchema } from './reference-data';

/**
 * Guided dialogs ("guides") as data: a few questions, then a personal plan made of the steps whose
 * conditions the answers meet. `knowledge/guides/*.yaml` holds the questions, the options (with the
 * words and entities that recognise a free-text answer) and the steps with their sources, so a
 * guide can be changed or added without touching code.
 */

const ID = /^[a-z0-9-]+$/;
const VALUE = /^[a-z0-9-]+$/;
const localised = z.record(z.string().regex(/^[a-z]{2}$/), z.string().min(1));
const localisedList = z.record(z.string().regex(/^[a-z]{2}$/), z.array(z.union([z.string(), z.number()]).transform(String)).min(1));
const sourceSchema = z.object({ title: z.string().min(1), url: z.string().url().startsWith('http') });
/** question id → accepted option values; a question that was skipped counts as "maybe". */
const conditionSchema = z.record(z.string().regex(ID), z.array(z.string().regex(VALUE)).min(1));

const optionSchema = z.object({
  value: z.string().regex(VALUE).refine((v) => v !== 'skip', '"skip" is reserved for skipped questions'),
  label: localised,
  /** Words and phrases that mean this option in a free-text answer, per language. */
  synonyms: localisedList.optional(),
  /** Entity ids (of the question's entity type) that mean this option. */
  entities: z.array(z.string().min(1)).optional(),
  /** Inclusive number range for questions with `number: true` ("I am 19"). */
  range: z.tuple([z.number(), z.number()]).optional(),
});

const questionSchema = z.object({
  id: z.string().regex(ID),
  text: localised,
  /** Entity type whose values answer the question (e.g. residence_status, german_level). */
  entity: z.string().optional(),
  number: z.boolean().optional(),
  /** Only asked when earlier answers meet this condition. */
  askIf: conditionSchema.optional(),
  options: z.array(optionSchema).min(2),
});

const stepSchema = z.object({
  id: z.string().regex(ID),
  when: conditionSchema.optional(),
  title: localised,
  text: localised,
  /** Whom to contact for this step. */
  contact: localised.optional(),
  sources: z.array(sourceSchema).min(1),
});

const guideSchema = z.object({
  id: z.string().regex(ID),
  /** The contract intent a guide turn is reported as (analytics, advisors). */
  intent: z.string().min(1),
  /** Intents whose answers offer this guide as a quick reply. */
  offeredFor: z.array(z.string().min(1)).default([]),
  reviewed: reviewedSchema,
  reviewIntervalDays: z.number().int().positive(),
  title: localised,
  /** Button text that starts the guide. */
  offer: localised,
  intro: localised,
  questions: z.array(questionSchema).min(1),
  steps: z.array(stepSchema).min(1),
  /** The closing "next concrete step" under the plan. */
  nextStep: localised,
});

export type GuideDefinition = z.infer<typeof guideSchema>;
export type GuideQuestion = GuideDefinition['questions'][number];
export type GuideOption = GuideQuestion['options'][number];
export type GuideStep = GuideDefinition['steps'][number];
export type GuideCondition = z.infer<typeof conditionSchema>;

/** The answer value for a question the person chose to skip (or could not answer). */
export const SKIP = 'skip';

/** Answers so far: question id → option value or SKIP. Unasked questions are absent. */
export type GuideAnswers = Record<string, string>;

/**
 * Whether the answers meet a condition. An unasked question never does. A skipped one may: a
 * step is then shown (it might apply), but a follow-up question is not asked (its premise is unknown).
 */
export function meets(condition: GuideCondition | undefined, answers: GuideAnswers, skippedMeets = true): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([question, values]) => {
    const answer = answers[question];
    return (skippedMeets && answer === SKIP) || (answer !== undefined && values.includes(answer));
  });
}

export class Guide {
  constructor(readonly definition: GuideDefinition) {
    const questionIds = new Set<string>();
    const valuesOf = new Map<string, Set<string>>();
    for (const question of definition.questions) {
      if (questionIds.has(question.id)) throw new StartupError(`guide ${definition.id}: question "${question.id}" twice`);
      this.checkCondition(question.askIf, valuesOf, `question ${question.id}`);
      questionIds.add(question.id);
      valuesOf.set(question.id, new Set(question.options.map((o) => o.value)));
    }
    for (const step of definition.steps) this.checkCondition(step.when, valuesOf, `step ${step.id}`);
  }

  get id(): string {
    return this.definition.id;
  }

  get questions(): GuideQuestion[] {
    return this.definition.questions;
  }

  question(id: string): GuideQuestion | undefined {
    return this.definition.questions.find((q) => q.id === id);
  }

  /** The next question to ask, or undefined when the plan can be made. */
  nextQuestion(answers: GuideAnswers): GuideQuestion | undefined {
    return this.definition.questions.find((q) => answers[q.id] === undefined && meets(q.askIf, answers, false));
  }

  /** The steps of the personal plan, in the order the guide lists them. */
  plan(answers: GuideAnswers): GuideStep[] {
    return this.definition.steps.filter((step) => meets(step.when, answers));
  }

  /** Conditions may only name earlier questions and their options: a typo would silently drop a step. */
  private checkCondition(condition: GuideCondition | undefined, valuesOf: Map<string, Set<string>>, where: string): void {
    for (const [question, values] of Object.entries(condition ?? {})) {
      const known = valuesOf.get(question);
      if (!known) throw new StartupError(`guide ${this.definition.id}, ${where}: unknown or later question "${question}"`);
      for (const value of values) {
        if (!known.has(value)) throw new StartupError(`guide ${this.definition.id}, ${where}: question "${question}" has no option "${value}"`);
      }
    }
  }
}

export function loadGuides(dir: string): Guide[] {
  const guides = listFiles(dir, '.yaml').map((file) => {
    const definition = readYaml(file, guideSchema);
    if (path.basename(file) !== `${definition.id}.yaml`) throw new StartupError(`${file}: file name must be ${definition.id}.yaml`);
    return new Guide(definition);
  });
  return guides;
}

/** A text of a guide in a language, falling back to German like the rest of the content. */
export function textIn(texts: Record<string, string>, language: LanguageCode): string {
  return texts[language] ?? texts.de ?? Object.values(texts)[0];
}

export function sourcesOf(steps: GuideStep[]): Source[] {
  const seen = new Map<string, Source>();
  for (const step of steps) for (const source of step.sources) if (!seen.has(source.url)) seen.set(source.url, source);
  return [...seen.values()];
}

/** All guides by id, and which of them to offer under which answer. */
export class GuideBook {
  private readonly byId: Map<string, Guide>;

  constructor(readonly guides: Guide[]) {
    this.byId = new Map(guides.map((g) => [g.id, g]));
  }

  static load(dir: string): GuideBook {
    return new GuideBook(loadGuides(dir));
  }

  get(id: string): Guide | undefined {
    return this.byId.get(id);
  }

  offeredFor(intent: string): Guide[] {
    return this.guides.filter((g) => g.definition.offeredFor.includes(intent));
  }

  /** Guide id → intent, for the NLU to report guide quick replies. */
  intents(): Record<string, string> {
    return Object.fromEntries(this.guides.map((g) => [g.id, g.definition.intent]));
  }
}
