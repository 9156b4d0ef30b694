/**
 * When advisors take over live, in Europe/Berlin time whatever the server's zone: "always", or ranges
 * like "Mon-Fri 08:00-16:00", several separated by ";" ("Mon-Thu 08:00-16:00; Fri 08:00-13:00").
 */
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const RANGE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)(?:-(Mon|Tue|Wed|Thu|Fri|Sat|Sun))? (\d{2}):(\d{2})-(\d{2}):(\d{2})$/;
const ZONE = 'Europe/Berlin';

interface Range {
  days: Set<number>;
  from: number;
  to: number;
}

export class OfficeHours {
  /** describe() by language: Intl formatters are costly to build, and the text never changes. */
  private readonly descriptions = new Map<string, string>();

  private constructor(
    readonly spec: string,
    private readonly ranges: Range[] | 'always',
  ) {}

  /** Throws an Error naming the bad part; config validation turns it into a start-up error. */
  static parse(spec: string): OfficeHours {
    const trimmed = spec.trim();
    if (trimmed === 'always') return new OfficeHours(trimmed, 'always');
    const ranges = trimmed.split(';').map((part) => {
      const m = RANGE.exec(part.trim());
      if (!m) throw new Error(`"${part.trim()}" is not like "Mon-Fri 08:00-16:00"`);
      const first = DAYS.indexOf(m[1] as (typeof DAYS)[number]);
      const last = m[2] ? DAYS.indexOf(m[2] as (typeof DAYS)[number]) : first;
      if (last < first) throw new Error(`"${part.trim()}": the days must run from Monday towards Sunday`);
      const from = minutes(m[3], m[4]);
      const to = minutes(m[5], m[6]);
      if (from === null || to === null || to <= from) throw new Error(`"${part.trim()}": not a valid time span within one day`);
      const days = new Set<number>();
      for (let d = first; d <= last; d++) days.add(d);
      return { days, from, to };
    });
    return new OfficeHours(trimmed, ranges);
  }

  isOpen(at: Date): boolean {
    if (this.ranges === 'always') return true;
    const { day, minute } = berlinTime(at);
    return this.ranges.some((r) => r.days.has(day) && minute >= r.from && minute < r.to);
  }

  get always(): boolean {
    return this.ranges === 'always';
  }

  /** The hours for people, with weekday names in their language ("Mo.–Fr. 08:00–16:00"). */
  describe(language: string): string {
    if (this.ranges === 'always') return '';
    let text = this.descriptions.get(language);
    if (text === undefined) this.descriptions.set(language, (text = this.describeRanges(this.ranges, language)));
    return text;
  }

  private describeRanges(ranges: Range[], language: string): string {
    // 2024-01-01 was a Monday: weekday names come from Intl, not from our own tables.
    const name = (d: number) => new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, 1 + d)));
    return ranges
      .map((r) => {
        const days = [...r.days];
        const span = days.length === 1 ? name(days[0]) : `${name(days[0])}–${name(days[days.length - 1])}`;
        return `${span} ${clock(r.from)}–${clock(r.to)}`;
      })
      .join('; ');
  }
}

function minutes(h: string, m: string): number | null {
  const hours = Number(h);
  const mins = Number(m);
  if (hours > 24 || mins > 59 || (hours === 24 && mins > 0)) return null;
  return hours * 60 + mins;
}

function clock(total: number): string {
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

const berlinFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

function berlinTime(at: Date): { day: number; minute: number } {
  const parts = Object.fromEntries(berlinFormat.formatToParts(at).map((p) => [p.type, p.value]));
  return { day: DAYS.indexOf(parts.weekday as (typeof DAYS)[number]), minute: Number(parts.hour) * 60 + Number(parts.minute) };
}
