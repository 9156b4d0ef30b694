import { maskCallbackContact, parseCallbackContact } from '../../src/escalation/callback-contact';

describe('callback contacts', () => {
  it('reads phone numbers in German and international notation and e-mail addresses', () => {
    expect(parseCallbackContact(' 0391 / 123 45 67 ')).toEqual({ kind: 'phone', value: '0391 / 123 45 67' });
    expect(parseCallbackContact('+49 (391) 123-4567')).toEqual({ kind: 'phone', value: '+49 (391) 123-4567' });
    expect(parseCallbackContact('Anna.Muster@Example.org')).toEqual({ kind: 'email', value: 'anna.muster@example.org' });
    expect(parseCallbackContact('mailto:a@b.de')).toEqual({ kind: 'email', value: 'a@b.de' });
  });

  it('finds the contact in a short sentence and keeps only the contact, not the words around it', () => {
    expect(parseCallbackContact('call me on 0391 1234567 please')).toEqual({ kind: 'phone', value: '0391 1234567' });
    expect(parseCallbackContact('Tel. 0391/123456, am besten vormittags')).toEqual({ kind: 'phone', value: '0391/123456' });
    expect(parseCallbackContact('meine Nummer ist +49 391 5556677')).toEqual({ kind: 'phone', value: '+49 391 5556677' });
    expect(parseCallbackContact('schreiben Sie an Ahmad.H@gmail.com, danke')).toEqual({ kind: 'email', value: 'ahmad.h@gmail.com' });
  });

  it('refuses anything else: no number written as a phone number, dates, postcodes, long texts', () => {
    const long = `${'Ich habe eine lange Frage zu meiner Anerkennung. '.repeat(5)}0391 1234567`;
    for (const text of ['tomorrow morning', '12345', 'a@b', '<script>@x.de', '1'.repeat(20), 'Ich bin am 01.02.2025 angekommen', 'ich wohne in 06108 Halle', 'ich bin 19 und habe 2 Kinder', long]) {
      expect({ text, contact: parseCallbackContact(text) }).toEqual({ text, contact: null });
    }
  });

  it('masks all but the end when the bot repeats it', () => {
    expect(maskCallbackContact({ kind: 'phone', value: '0391 1234567' })).toBe('•••• ••••567');
    expect(maskCallbackContact({ kind: 'email', value: 'anna@example.org' })).toBe('a•••@example.org');
  });
});
