import { OfferedLabels } from '../../src/dialog/offered-labels';

const phraseKey = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N} ]/gu, '').trim();

describe('offered button labels', () => {
  it('knows a label once the bot has offered it, as typed in any case and punctuation', () => {
    const labels = new OfferedLabels(phraseKey);
    expect(labels.has(phraseKey('Deutsch lernen!'))).toBe(false);
    labels.remember(['Deutsch lernen', 'Ausbildung']);
    expect(labels.has(phraseKey('deutsch lernen!'))).toBe(true);
    expect(labels.has(phraseKey('Deutsch lernen in Halle'))).toBe(false);
    expect(labels.has('')).toBe(false);
  });

  it('works out the key of a label once', () => {
    let calls = 0;
    const labels = new OfferedLabels((text) => {
      calls++;
      return phraseKey(text);
    });
    for (let i = 0; i < 5; i++) labels.remember(['Deutsch lernen']);
    expect(labels.keyOf('Deutsch lernen')).toBe('deutsch lernen');
    expect(calls).toBe(1);
  });
});
