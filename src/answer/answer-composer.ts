import type { Translate } from '../i18n/i18n';
import type { LanguageCode } from '../i18n/languages';
import type { Article } from '../knowledge/articles';
import { answerPayload } from '../knowledge/guide-answers';
import { SKIP, sourcesOf, textIn, type Guide, type GuideAnswers, type GuideBook, type GuideQuestion } from '../knowledge/guides';
import type { KnowledgeBase, ScoredArticle } from '../knowledge/knowledge-base';
import type { Profession, ReferenceData } from '../knowledge/reference-data';
import type { QuickReply, Source } from '../storage/store';
import { advisorButton, FEEDBACK_PAYLOADS } from './handoff-replies';
import type { Reply } from './reply';

/** The official finder, cited whenever the bot sends people to it (FACTS.md 1.1). */
const FINDER_SOURCE: Source = { title: 'ZAB – Reglementierte Berufe / Anerkennungs-Finder', url: 'https://zab.kmk.org/de/reglementierte-berufe' };

/** "Did this help?" under every knowledge answer: "not helpful" leads to the offer of an advisor. */
const FEEDBACK_BUTTONS = [
  { title: 'buttons.helpful', payload: FEEDBACK_PAYLOADS.helpful },
  { title: 'buttons.unhelpful', payload: FEEDBACK_PAYLOADS.unhelpful },
];

/** Under a fixed text: the topic buttons (to go on), the way to an advisor, or both. */
export type FixedAnswerButtons = 'topics' | 'advisor' | 'topics+advisor';

/**
 * Turns what the dialog decided into messages in the person's language: knowledge articles,
 * profession answers from the reference data, and fixed texts from `locales/`.
 */
export class AnswerComposer {
  constructor(
    private readonly knowledge: KnowledgeBase,
    private readonly reference: ReferenceData,
    private readonly guides: GuideBook,
  ) {}

  /**
   * A knowledge answer. `alsoAsked`: articles for what else the message seemed to ask ("How long does
   * it take and what does it cost?"), offered before everything else.
   */
  article(article: Article, language: LanguageCode, t: Translate, alsoAsked: Article[] = []): Reply {
    const text = article.texts[language] ?? article.texts.de ?? Object.values(article.texts)[0];
    // A personal plan is the most useful next step where one exists for the topic: offer it first.
    const offers = [...new Set(article.intents.flatMap((intent) => this.guides.offeredFor(intent)))].map((g) => this.guideButton(g, language));
    const button = (a: Article | undefined): QuickReply[] => (a && a.id !== article.id && a.texts[language] ? [{ title: a.texts[language].title, payload: `article:${a.id}` }] : []);
    const also = alsoAsked.flatMap(button);
    const related = article.related.filter((id) => !alsoAsked.some((a) => a.id === id)).flatMap((id) => button(this.knowledge.article(id)));
    return {
      text: `**${text.title}**\n\n${text.body}`,
      quickReplies: [...also, ...offers, ...related, ...FEEDBACK_BUTTONS.map((b) => ({ title: t(b.title), payload: b.payload })), advisorButton(t)],
      sources: article.sources,
    };
  }

  /** One question of a guide, with its options as quick replies; the intro before the first one. */
  guideQuestion(guide: Guide, question: GuideQuestion, language: LanguageCode, t: Translate, state: { first: boolean; retry: boolean }): Reply {
    const parts: string[] = [];
    if (state.first) parts.push(`**${textIn(guide.definition.title, language)}**`, textIn(guide.definition.intro, language), '');
    if (state.retry) parts.push(t('guide.notUnderstood'), '');
    parts.push(textIn(question.text, language));
    const options = question.options.map((o) => ({ title: textIn(o.label, language), payload: answerPayload(guide, question, o.value) }));
    return { text: parts.join('\n'), quickReplies: [...options, { title: t('guide.skip'), payload: answerPayload(guide, question, SKIP) }, advisorButton(t)] };
  }

  /** The personal plan: the steps the answers lead to, each with whom to contact, and the sources. */
  guidePlan(guide: Guide, answers: GuideAnswers, language: LanguageCode, t: Translate): Reply {
    const steps = guide.plan(answers);
    const lines = [`**${textIn(guide.definition.title, language)}**`, t('guide.planIntro'), ''];
    steps.forEach((step, i) => {
      lines.push(`${i + 1}. **${textIn(step.title, language)}**: ${textIn(step.text, language)}`);
      if (step.contact) lines.push(`   ${t('guide.contact', { contact: textIn(step.contact, language) })}`);
    });
    if (Object.values(answers).includes(SKIP)) lines.push('', t('guide.skippedNote'));
    lines.push('', t('guide.caveat'), '', t('guide.nextStep', { step: textIn(guide.definition.nextStep, language) }));
    return {
      text: lines.join('\n'),
      quickReplies: [{ title: t('guide.restart'), payload: `guide:${guide.id}` }, advisorButton(t)],
      sources: sourcesOf(steps),
    };
  }

  /** The recognition card of a profession; `place` (a place entity id) picks the regional chamber where there are several. */
  profession(profession: Profession, language: LanguageCode, t: Translate, place?: string): Reply {
    const body = this.reference.bodyAt(profession.body, place);
    const lines = [t('profession.heading', { profession: this.reference.professionName(profession, language) })];
    if (profession.reference) lines.push(t('profession.reference', { reference: profession.reference }));
    lines.push(t(!profession.regulated ? 'profession.notRegulated' : profession.regulates === 'title' ? 'profession.protectedTitle' : 'profession.regulated'));
    if (body?.confirmed) {
      lines.push('', t('profession.body', { body: body.city ? `${body.name}, ${body.city}` : body.name }));
      const decides = body.decides[language] ?? body.decides.de;
      if (decides) lines.push(decides);
      const note = body.note?.[language] ?? body.note?.de;
      if (note) lines.push(note);
      if (body.address) lines.push(t('profession.address', { address: body.address }));
      if (body.phone) lines.push(t('profession.phone', { phone: body.phone }));
      if (body.email) lines.push(t('profession.email', { email: body.email }));
      lines.push(t('profession.website', { url: body.url }), '', t('profession.nextStep'));
    } else {
      lines.push('', t('profession.bodyUnconfirmed'), '', t('profession.nextStepUnconfirmed'));
    }
    const followUps: QuickReply[] = [
      { title: t('buttons.documents'), payload: 'intent:recognition.documents' },
      { title: t('buttons.costs'), payload: 'intent:recognition.costs' },
      advisorButton(t),
    ];
    return { text: lines.join('\n'), quickReplies: followUps, sources: [...(body?.confirmed ? body.sources : []), FINDER_SOURCE] };
  }

  /** "Mechaniker" names several professions with different bodies: which one? */
  chooseProfession(candidates: Profession[], language: LanguageCode, t: Translate): Reply {
    const choices = candidates.map((p) => ({ title: this.reference.professionName(p, language), payload: `profession:${p.id}` }));
    return { text: t('profession.choose'), quickReplies: [...choices, { title: t('buttons.otherProfession'), payload: 'article:recognition-authority' }, advisorButton(t)] };
  }

  /** A profession we do not know: say so, point to the official finder, offer the common ones. */
  unknownProfession(language: LanguageCode, t: Translate): Reply {
    const ask = this.askProfession(language, t);
    return { text: t('profession.unknown'), quickReplies: [...(ask.quickReplies ?? []), advisorButton(t)], sources: [FINDER_SOURCE], unanswered: true };
  }

  askProfession(language: LanguageCode, t: Translate): Reply {
    const examples = ['nurse', 'doctor', 'electrician', 'teacher', 'engineer', 'cook']
      .map((id) => this.reference.profession(id))
      .filter((p): p is Profession => p !== undefined)
      .map((p) => ({ title: this.reference.professionName(p, language), payload: `profession:${p.id}` }));
    return { text: t('profession.ask'), quickReplies: [...examples, { title: t('buttons.otherProfession'), payload: 'article:recognition-authority' }] };
  }

  /** A fixed text from locales, with the topic buttons where they help the person on. */
  fixed(key: string, language: LanguageCode, t: Translate, buttons: FixedAnswerButtons = 'advisor'): Reply {
    const topics = buttons === 'advisor' ? [] : this.topicButtons(t, language);
    return { text: t(key), quickReplies: buttons === 'topics' ? topics : [...topics, advisorButton(t)] };
  }

  fallback(suggestions: ScoredArticle[], language: LanguageCode, t: Translate): Reply {
    const quickReplies: QuickReply[] = suggestions.length
      ? suggestions.map((s) => ({ title: s.article.texts[language]?.title ?? s.article.id, payload: `article:${s.article.id}` }))
      : this.topicButtons(t, language);
    const intro = suggestions.length ? `\n\n${t('fallback.suggestions')}` : '';
    return { text: `${t('fallback.notUnderstood')}${intro}\n\n${t('fallback.nextStep')}`, quickReplies: [...quickReplies, advisorButton(t)], unanswered: true };
  }

  topicButtons(t: Translate, language: LanguageCode): QuickReply[] {
    return [
      { title: t('buttons.recognition'), payload: 'intent:recognition.need' },
      { title: t('buttons.language'), payload: 'intent:language.courses' },
      { title: t('buttons.training'), payload: 'intent:training.find' },
      { title: t('buttons.employer'), payload: 'intent:employer.hire_abroad' },
      ...this.guides.guides.map((g) => this.guideButton(g, language)),
    ];
  }

  private guideButton(guide: Guide, language: LanguageCode): QuickReply {
    return { title: textIn(guide.definition.offer, language), payload: `guide:${guide.id}` };
  }
}
