import type { Translate } from '../i18n/i18n';
import type { LanguageCode } from '../i18n/languages';
import type { Article } from '../knowledge/articles';
import type { KnowledgeBase, ScoredArticle } from '../knowledge/knowledge-base';
import type { Profession, ReferenceData } from '../knowledge/reference-data';
import type { QuickReply, Source } from '../storage/store';
import type { Reply } from './reply';

/** The official finder, cited whenever the bot sends people to it (FACTS.md 1.1). */
const FINDER_SOURCE: Source = { title: 'ZAB – Reglementierte Berufe / Anerkennungs-Finder', url: 'https://zab.kmk.org/de/reglementierte-berufe' };

const ADVISOR_PAYLOAD = 'intent:handoff.request';

/**
 * Turns what the dialog decided into messages in the person's language: knowledge articles,
 * profession answers from the reference data, and fixed texts from `locales/`.
 */
export class AnswerComposer {
  constructor(
    private readonly knowledge: KnowledgeBase,
    private readonly reference: ReferenceData,
  ) {}

  article(article: Article, language: LanguageCode, t: Translate): Reply {
    const text = article.texts[language] ?? article.texts.de ?? Object.values(article.texts)[0];
    const related = article.related
      .map((id) => this.knowledge.article(id))
      .filter((a): a is Article => a !== undefined && a.texts[language] !== undefined)
      .map((a) => ({ title: a.texts[language].title, payload: `article:${a.id}` }));
    return {
      text: `**${text.title}**\n\n${text.body}`,
      quickReplies: [...related, this.advisorButton(t)],
      sources: article.sources,
    };
  }

  profession(profession: Profession, language: LanguageCode, t: Translate): Reply {
    const body = this.reference.body(profession.body);
    const lines = [t('profession.heading', { profession: this.reference.professionName(profession, language) })];
    if (profession.reference) lines.push(t('profession.reference', { reference: profession.reference }));
    lines.push(t(profession.regulated ? 'profession.regulated' : 'profession.notRegulated'));
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
      this.advisorButton(t),
    ];
    return { text: lines.join('\n'), quickReplies: followUps, sources: [...(body?.confirmed ? body.sources : []), FINDER_SOURCE] };
  }

  askProfession(language: LanguageCode, t: Translate): Reply {
    const examples = ['nurse', 'doctor', 'electrician', 'teacher', 'engineer', 'cook']
      .map((id) => this.reference.profession(id))
      .filter((p): p is Profession => p !== undefined)
      .map((p) => ({ title: this.reference.professionName(p, language), payload: `profession:${p.id}` }));
    return { text: t('profession.ask'), quickReplies: [...examples, { title: t('buttons.otherProfession'), payload: 'article:recognition-authority' }] };
  }

  /** A fixed text from locales, with the topic buttons where they help the person on. */
  fixed(key: string, t: Translate, withTopics = false): Reply {
    return { text: t(key), quickReplies: withTopics ? this.topicButtons(t) : [this.advisorButton(t)] };
  }

  fallback(suggestions: ScoredArticle[], language: LanguageCode, t: Translate): Reply {
    const quickReplies: QuickReply[] = suggestions.length
      ? suggestions.map((s) => ({ title: s.article.texts[language]?.title ?? s.article.id, payload: `article:${s.article.id}` }))
      : this.topicButtons(t);
    const intro = suggestions.length ? `\n\n${t('fallback.suggestions')}` : '';
    return { text: `${t('fallback.notUnderstood')}${intro}\n\n${t('fallback.nextStep')}`, quickReplies: [...quickReplies, this.advisorButton(t)] };
  }

  topicButtons(t: Translate): QuickReply[] {
    return [
      { title: t('buttons.recognition'), payload: 'intent:recognition.need' },
      { title: t('buttons.language'), payload: 'intent:language.courses' },
      { title: t('buttons.training'), payload: 'intent:training.find' },
      { title: t('buttons.employer'), payload: 'intent:employer.hire_abroad' },
    ];
  }

  private advisorButton(t: Translate): QuickReply {
    return { title: t('buttons.advisor'), payload: ADVISOR_PAYLOAD };
  }
}
