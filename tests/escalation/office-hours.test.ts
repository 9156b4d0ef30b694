import { OfficeHours } from '../../src/escalation/office-hours';

describe('office hours (Europe/Berlin)', () => {
  const hours = OfficeHours.parse('Mon-Thu 08:00-16:00; Fri 08:00-13:00');

  it('is open inside the ranges and closed outside, in Berlin time in winter and summer', () => {
    expect(hours.isOpen(new Date('2026-11-25T07:30:00Z'))).toBe(true); // Wed 08:30 CET
    expect(hours.isOpen(new Date('2026-11-25T06:59:00Z'))).toBe(false); // Wed 07:59 CET
    expect(hours.isOpen(new Date('2026-11-25T15:00:00Z'))).toBe(false); // Wed 16:00 CET: end is exclusive
    expect(hours.isOpen(new Date('2026-11-27T11:59:00Z'))).toBe(true); // Fri 12:59 CET
    expect(hours.isOpen(new Date('2026-11-27T12:00:00Z'))).toBe(false); // Fri 13:00 CET
    expect(hours.isOpen(new Date('2026-11-28T09:00:00Z'))).toBe(false); // Saturday
    expect(hours.isOpen(new Date('2026-07-01T06:30:00Z'))).toBe(true); // Wed 08:30 CEST
    expect(hours.isOpen(new Date('2026-07-01T14:30:00Z'))).toBe(false); // Wed 16:30 CEST
  });

  it('"always" is always open', () => {
    expect(OfficeHours.parse('always').isOpen(new Date('2026-11-29T03:00:00Z'))).toBe(true);
  });

  it('describes the hours with weekday names in the person’s language', () => {
    expect(OfficeHours.parse('Mon-Fri 08:00-16:00').describe('en')).toBe('Mon–Fri 08:00–16:00');
    expect(OfficeHours.parse('Mon-Fri 08:00-16:00').describe('de')).toBe('Mo–Fr 08:00–16:00');
  });

  it('refuses specs it cannot read', () => {
    for (const bad of ['Mon-Fri 8-16', 'Fri-Mon 08:00-16:00', 'Mon 16:00-08:00', 'Mon 08:00-25:00', 'weekdays']) {
      expect(() => OfficeHours.parse(bad)).toThrow();
    }
  });
});
