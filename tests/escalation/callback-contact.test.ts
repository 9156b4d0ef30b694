import { maskCallbackContact, parseCallbackContact } from '../../src/escalation/callback-contact';

describe('callback contacts', () => {
  it('reads phone numbers in German and international notation and e-mail addresses', () => {
    expect(parseCallbackContact(' 0391 / 123 45 67 ')).toEqual({ kind: 'phone', value: '0391 / 123 45 67' });
    expect(parseCallbackContact('+49 (391) 123-4567')).toEqual({ kind: 'phone', value: '+49 (391) 123-4567' });
    expect(parseCallbackContact('Anna.Muster@Example.org')).toEqual({ kind: 'email', value: 'anna.muster@example.org' });
    expect(parseCallbackContact('mailto:a@b.de')).toEqual({ kind: 'email', value: 'a@b.de' });
  });

  it('refuses anything else, so a sentence around a number is not kept', () => {
    for (const text of ['tomorrow morning', '12345', 'call me on 0391 1234567 please', 'a@b', '<script>@x.de', '1'.repeat(20)]) {
      expect(parseCallbackContact(text)).toBeNull();
    }
  });

  it('masks all but the end when the bot repeats it', () => {
    expect(maskCallbackContact({ kind: 'phone', value: '0391 1234567' })).toBe('•••• ••••567');
    expect(maskCallbackContact({ kind: 'email', value: 'anna@example.org' })).toBe('a•••@example.org');
  });
});
