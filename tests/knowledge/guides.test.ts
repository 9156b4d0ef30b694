import path from 'node:path';
import { answerFromPayload, interpretAnswer } from '../../src/knowledge/guide-answers';
import { Guide, GuideBook, SKIP, meets, type GuideDefinition } from '../../src/knowledge/guides';
import { ROOT } from '../helpers/service';

const l = (de: string, en = de) => ({ de, en });
const source = [{ title: 'Quelle', url: 'https://example.org/quelle' }];

/** A small guide: the age decides the advice service; the status question only comes for some. */
function smallGuide(overrides: Partial<GuideDefinition> = {}): Guide {
  return new Guide({
    id: 'test-guide',
    intent: 'coaching.offers',
    offeredFor: [],
    reviewed: '2026-11-25',
    reviewIntervalDays: 180,
    title: l('Plan'),
    offer: l('Plan starten'),
    intro: l('Fragen'),
    nextStep: l('Los'),
    questions: [
      {
        id: 'age',
        number: true,
        text: l('Alter?'),
        options: [
          { value: 'young', range: [0, 27], label: l('bis 27', 'up to 27'), synonyms: { de: ['jung'], en: ['young'] } },
          { value: 'older', range: [28, 120], label: l('älter als 27', 'older than 27') },
        ],
      },
      {
        id: 'status',
        entity: 'residence_status',
        askIf: { age: ['young'] },
        text: l('Status?'),
        options: [
          { value: 'tolerated', entities: ['duldung'], label: l('Duldung') },
          { value: 'permit', entities: ['aufenthaltserlaubnis'], label: l('Aufenthaltserlaubnis', 'residence permit') },
        ],
      },
      {
        id: 'school',
        text: l('Abschluss?'),
        options: [
          { value: 'none', label: l('keinen Schulabschluss', 'no school certificate') },
          { value: 'school', label: l('Schulabschluss', 'school certificate') },
        ],
      },
    ],
    steps: [
      { id: 'jmd', when: { age: ['young'] }, title: l('JMD'), text: l('JMD'), sources: source },
      { id: 'mbe', when: { age: ['older'] }, title: l('MBE'), text: l('MBE'), sources: source },
      { id: 'duldung', when: { status: ['tolerated'] }, title: l('Duldung'), text: l('Duldung'), sources: source },
      { id: 'always', title: l('Beratung'), text: l('Beratung'), sources: source },
    ],
    ...overrides,
  });
}

describe('guide conditions and plans', () => {
  it('asks only the questions whose conditions hold, in order', () => {
    const guide = smallGuide();
    expect(guide.nextQuestion({})?.id).toBe('age');
    expect(guide.nextQuestion({ age: 'young' })?.id).toBe('status');
    expect(guide.nextQuestion({ age: 'older' })?.id).toBe('school');
    expect(guide.nextQuestion({ age: 'older', school: 'none' })).toBeUndefined();
    // A follow-up needs its premise: after a skipped age the status question is not asked.
    expect(guide.nextQuestion({ age: SKIP })?.id).toBe('school');
  });

  it('treats a skipped answer as "maybe" and an unasked question as "no"', () => {
    expect(meets({ age: ['young'] }, { age: SKIP })).toBe(true);
    expect(meets({ status: ['tolerated'] }, { age: 'older' })).toBe(false);
    const guide = smallGuide();
    expect(guide.plan({ age: 'older', school: 'none' }).map((s) => s.id)).toEqual(['mbe', 'always']);
    expect(guide.plan({ age: SKIP, status: SKIP, school: SKIP }).map((s) => s.id)).toEqual(['jmd', 'mbe', 'duldung', 'always']);
  });

  it('refuses a step condition that names an unknown question or option', () => {
    expect(() => smallGuide({ steps: [{ id: 'x', when: { agee: ['young'] }, title: l('x'), text: l('x'), sources: source }] })).toThrow(/unknown or later question "agee"/);
    expect(() => smallGuide({ steps: [{ id: 'x', when: { age: ['old'] }, title: l('x'), text: l('x'), sources: source }] })).toThrow(/no option "old"/);
  });
});

describe('reading free-text answers', () => {
  const guide = smallGuide();
  const age = guide.question('age')!;
  const school = guide.question('school')!;
  const read = (question = age, text: string, entities: { type: string; value: string }[] = [], answers = {}) =>
    interpretAnswer(guide, question, { text, entities }, answers, ['skip', 'überspringen', 'weiß nicht']);

  it('maps a number to its range and picks up other answers from entities in the same message', () => {
    expect(read(age, 'Ich bin 19 und habe eine Duldung', [{ type: 'residence_status', value: 'duldung' }])).toEqual({ age: 'young', status: 'tolerated' });
    expect(read(age, 'I am 35')).toEqual({ age: 'older' });
  });

  it('recognises labels and synonyms in any language, preferring the longest match', () => {
    expect(read(age, 'noch jung')).toEqual({ age: 'young' });
    expect(read(school, 'Ich habe keinen Schulabschluss')).toEqual({ school: 'none' });
    expect(read(school, 'a school certificate from Syria')).toEqual({ school: 'school' });
  });

  it('reads skip phrases as a skip and anything else as no answer', () => {
    expect(read(age, 'weiß nicht')).toEqual({ age: SKIP });
    expect(read(age, 'Was kostet die Anerkennung?')).toEqual({});
  });

  it('reads quick-reply payloads back, and rejects payloads of other guides or unknown options', () => {
    expect(answerFromPayload(guide, 'test-guide.school.none')).toEqual({ school: 'none' });
    expect(answerFromPayload(guide, 'test-guide.school.skip')).toEqual({ school: SKIP });
    expect(answerFromPayload(guide, 'other-guide.school.none')).toBeUndefined();
    expect(answerFromPayload(guide, 'test-guide.school.university')).toBeUndefined();
  });
});

describe('the guides in knowledge/guides', () => {
  const book = GuideBook.load(path.join(ROOT, 'knowledge', 'guides'));

  it('has the coaching chain for young migrants and the employer hiring check', () => {
    expect(book.get('coaching-chain')).toBeDefined();
    expect(book.get('employer-check')).toBeDefined();
    expect(book.offeredFor('coaching.offers').map((g) => g.id)).toContain('coaching-chain');
    expect(book.offeredFor('employer.hire_refugee').map((g) => g.id)).toContain('employer-check');
  });

  it('leads a tolerated young person who wants training to the Ausbildungsduldung, JMD and training support', () => {
    const steps = book.get('coaching-chain')!.plan({ age: 'from18to27', status: 'tolerated', german: 'a2', background: 'school', goal: 'training' }).map((s) => s.id);
    expect(steps).toEqual(expect.arrayContaining(['advice-jmd', 'ausbildungsduldung', 'integration-course', 'career-guidance', 'training-support']));
    expect(steps).not.toContain('advice-mbe');
    expect(steps).not.toContain('job-language-course');
  });

  it('leads an employer hiring a graduate from abroad to § 18b, the accelerated procedure and the duties', () => {
    const steps = book.get('employer-check')!.plan({ candidate: 'abroad', origin: 'other', qualification: 'degree', recognised: 'yes', job: 'skilled' }).map((s) => s.id);
    expect(steps).toEqual(['skilled-degree', 'accelerated-procedure', 'duties', 'support']);
  });

  it('tells an employer of an EU citizen that no permit is needed, without visa routes', () => {
    const steps = book.get('employer-check')!.plan({ candidate: 'eu', qualification: 'none', job: 'helper' }).map((s) => s.id);
    expect(steps).toEqual(['eu-citizen', 'support']);
  });
});
