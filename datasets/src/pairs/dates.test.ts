import { describe, expect, it } from 'vitest';
import { ConfigError, type SequenceExample } from '@nnkit/core';
import { loadDates, type DatesCorpus } from './dates.js';
import { calendarDay, DATE_FORMAT_NAMES, DATE_FORMATS, DAY_COUNT } from './date-formats.js';

// An independent reading of every format: regular expressions and tables written here, the weekday by Zeller's
// congruence and the day by Date arithmetic, none of them from the code under test.
const MONTHS = 'January February March April May June July August September October November December'.split(' ');
const WEEKDAYS = 'Saturday Sunday Monday Tuesday Wednesday Thursday Friday'.split(' '); // Zeller's order: h = 0 is Saturday
const monthOf = (name: string) =>
  MONTHS.findIndex((m) => m === name || m.slice(0, 3) === name || m.toUpperCase() === name || m.slice(0, 3).toUpperCase() === name) + 1;
const century = (yy: string) => (Number(yy) >= 50 ? 1900 : 2000) + Number(yy);
const suffix = (d: number) => (d % 10 === 1 && d !== 11 ? 'st' : d % 10 === 2 && d !== 12 ? 'nd' : d % 10 === 3 && d !== 13 ? 'rd' : 'th');

function zeller(y: number, m: number, d: number): string {
  const [year, month] = m < 3 ? [y - 1, m + 12] : [y, m];
  const k = year % 100;
  const j = Math.floor(year / 100);
  return WEEKDAYS[(d + Math.floor((13 * (month + 1)) / 5) + k + Math.floor(k / 4) + Math.floor(j / 4) + 5 * j) % 7]!;
}

type Reading = { y: number; m: number; d: number; weekday?: string; ordinal?: string };
const N = '([1-9]\\d?)'; // a day or month without a leading zero
const PARSERS: Record<string, [RegExp, (g: string[]) => Reading]> = {
  'D Mon YYYY': [new RegExp(`^${N} ([A-Z][a-z]{2}) (\\d{4})$`), ([d, mon, y]) => ({ y: +y!, m: monthOf(mon!), d: +d! })],
  'Month D, YYYY': [new RegExp(`^([A-Z][a-z]+) ${N}, (\\d{4})$`), ([mon, d, y]) => ({ y: +y!, m: monthOf(mon!), d: +d! })],
  'DD/MM/YYYY': [/^(\d\d)\/(\d\d)\/(\d{4})$/, ([d, m, y]) => ({ y: +y!, m: +m!, d: +d! })],
  'MM/DD/YY': [/^(\d\d)\/(\d\d)\/(\d\d)$/, ([m, d, y]) => ({ y: century(y!), m: +m!, d: +d! })],
  'YYYY-MM-DD': [/^(\d{4})-(\d\d)-(\d\d)$/, ([y, m, d]) => ({ y: +y!, m: +m!, d: +d! })],
  'Weekday, Month D, YYYY': [
    new RegExp(`^([A-Z][a-z]+day), ([A-Z][a-z]+) ${N}, (\\d{4})$`),
    ([w, mon, d, y]) => ({ y: +y!, m: monthOf(mon!), d: +d!, weekday: w! }),
  ],
  'DD.MM.YY': [/^(\d\d)\.(\d\d)\.(\d\d)$/, ([d, m, y]) => ({ y: century(y!), m: +m!, d: +d! })],
  'MON D YYYY': [new RegExp(`^([A-Z]{3}) ${N} (\\d{4})$`), ([mon, d, y]) => ({ y: +y!, m: monthOf(mon!), d: +d! })],
  'DD-MON-YYYY': [/^(\d\d)-([A-Z]{3})-(\d{4})$/, ([d, mon, y]) => ({ y: +y!, m: monthOf(mon!), d: +d! })],
  YYYYMMDD: [/^(\d{4})(\d\d)(\d\d)$/, ([y, m, d]) => ({ y: +y!, m: +m!, d: +d! })],
  DDMONYYYY: [/^(\d\d)([A-Z]{3})(\d{4})$/, ([d, mon, y]) => ({ y: +y!, m: monthOf(mon!), d: +d! })],
  'Mon D, YY': [new RegExp(`^([A-Z][a-z]{2}) ${N}, (\\d\\d)$`), ([mon, d, y]) => ({ y: century(y!), m: monthOf(mon!), d: +d! })],
  'D.M.YYYY': [new RegExp(`^${N}\\.${N}\\.(\\d{4})$`), ([d, m, y]) => ({ y: +y!, m: +m!, d: +d! })],
  'YYYY.MM.DD': [/^(\d{4})\.(\d\d)\.(\d\d)$/, ([y, m, d]) => ({ y: +y!, m: +m!, d: +d! })],
  'Dth Month YYYY': [
    new RegExp(`^${N}(st|nd|rd|th) ([A-Z][a-z]+) (\\d{4})$`),
    ([d, o, mon, y]) => ({ y: +y!, m: monthOf(mon!), d: +d!, ordinal: o! }),
  ],
  'Wkd D Mon YYYY': [
    new RegExp(`^([A-Z][a-z]{2}) ${N} ([A-Z][a-z]{2}) (\\d{4})$`),
    ([w, d, mon, y]) => ({ y: +y!, m: monthOf(mon!), d: +d!, weekday: w! }),
  ],
  'YYYY/M/D': [new RegExp(`^(\\d{4})/${N}/${N}$`), ([y, m, d]) => ({ y: +y!, m: +m!, d: +d! })],
  'D MONTH YYYY': [new RegExp(`^${N} ([A-Z]{4,}|MAY) (\\d{4})$`), ([d, mon, y]) => ({ y: +y!, m: monthOf(mon!), d: +d! })],
  'DD-MM-YYYY': [/^(\d\d)-(\d\d)-(\d{4})$/, ([d, m, y]) => ({ y: +y!, m: +m!, d: +d! })],
};

/** The day `text` names when read as `format` (days since 1950-01-01), or undefined when it does not read as one. */
function readAs(format: string, text: string): number | undefined {
  const [pattern, fields] = PARSERS[format]!;
  const match = pattern.exec(text);
  if (!match) return undefined;
  const { y, m, d, weekday, ordinal } = fields(match.slice(1));
  const time = Date.UTC(y, m - 1, d);
  const date = new Date(time);
  if (m < 1 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined; // no 31 April
  if (weekday !== undefined && !zeller(y, m, d).startsWith(weekday)) return undefined;
  if (ordinal !== undefined && ordinal !== suffix(d)) return undefined;
  return (time - Date.UTC(1950, 0, 1)) / 86_400_000;
}

const iso = (day: number) => new Date(Date.UTC(1950, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
const text = (corpus: DatesCorpus, e: SequenceExample) => ({
  source: corpus.sourceVocabulary.decode(e.source).join(''),
  target: corpus.targetVocabulary.decode(e.targets[0]!).join(''),
});

describe('datasets/dates', () => {
  const corpus = loadDates();

  it('has 19 formats, and no string in any of them names two days: every day 1950–2049 in every format reads back to itself alone', () => {
    expect(DATE_FORMAT_NAMES).toHaveLength(19);
    expect(Object.keys(PARSERS).sort()).toEqual([...DATE_FORMAT_NAMES].sort());
    expect(DAY_COUNT).toBe(36_525);
    const seen = new Map<string, number>();
    for (let day = 0; day < DAY_COUNT; day++) {
      for (const format of DATE_FORMAT_NAMES) {
        const source = DATE_FORMATS[format]!(calendarDay(day));
        if (readAs(format, source) !== day)
          throw new Error(`${format} wrote day ${day} (${iso(day)}) as '${source}', which reads as ${readAs(format, source)}`);
        if (seen.has(source)) throw new Error(`'${source}' is written for day ${seen.get(source)} and for day ${day} (${format})`);
        seen.set(source, day);
      }
    }
    expect(seen.size).toBe(36_525 * 19);
    expect(DATE_FORMAT_NAMES.map((f) => DATE_FORMATS[f]!(calendarDay(24_494)))).toContain('Monday, January 23, 2017');
  });

  it('pairs each source with its ISO date: every source reads, under any format that reads it, as its target', () => {
    for (const split of [corpus.train, corpus.validation, corpus.test]) {
      for (const e of split) {
        const { source, target } = text(corpus, e);
        const readings = new Set(DATE_FORMAT_NAMES.map((f) => readAs(f, source)).filter((d) => d !== undefined));
        expect([...readings].map(iso), source).toEqual([target]);
        expect(e.targets).toHaveLength(1);
      }
    }
    const years = corpus.train.map((e) => Number(text(corpus, e).target.slice(0, 4)));
    expect(Math.min(...years)).toBe(1950);
    expect(Math.max(...years)).toBe(2049);
    const used = new Set(corpus.train.map((e) => DATE_FORMAT_NAMES.find((f) => readAs(f, text(corpus, e).source) !== undefined)));
    expect(used.size).toBe(19);
  });

  it('has the sizes asked for, 20,000 / 1,000 / 2,000 by default, and no source in two splits', () => {
    expect([corpus.train.length, corpus.validation.length, corpus.test.length]).toEqual([20_000, 1_000, 2_000]);
    const sources = [corpus.train, corpus.validation, corpus.test].map((s) => s.map((e) => text(corpus, e).source));
    expect(new Set(sources.flat()).size).toBe(23_000);
    const small = loadDates({ train: 50, validation: 5, test: 7 });
    expect([small.train.length, small.validation.length, small.test.length]).toEqual([50, 5, 7]);
  });

  it('is deterministic per seed, each split from its own seed: test does not depend on the other sizes', () => {
    const sources = (c: DatesCorpus, split: readonly SequenceExample[]) => split.map((e) => text(c, e).source);
    const again = loadDates();
    expect(sources(again, again.train)).toEqual(sources(corpus, corpus.train));
    expect(sources(again, again.test)).toEqual(sources(corpus, corpus.test));
    const small = loadDates({ train: 10, validation: 10 });
    expect(sources(small, small.test)).toEqual(sources(corpus, corpus.test));
    const other = loadDates({ seed: 2, train: 100, validation: 100, test: 100 });
    expect(sources(other, other.test)).not.toEqual(sources(corpus, corpus.test).slice(0, 100));
    expect(text(corpus, corpus.test[0]!)).toEqual({ source: '2.10.2008', target: '2008-10-02' });
  });

  it('writes only the formats asked for, with vocabularies that do not depend on them', () => {
    const compact = loadDates({ formats: ['YYYYMMDD'], train: 100, validation: 10, test: 10 });
    expect(compact.train.every((e) => /^\d{8}$/.test(text(compact, e).source))).toBe(true);
    expect(compact.sourceVocabulary.tokens).toEqual(corpus.sourceVocabulary.tokens);
    expect(corpus.targetVocabulary.tokens).toEqual(['<pad>', '<s>', '</s>', '<unk>', '-', ...'0123456789']);
    expect(corpus.sourceVocabulary.tokens).toHaveLength(60);
  });

  it('refuses unknown formats and options, too many pairs for the formats, and non-integer sizes', () => {
    expect(() => loadDates({ formats: ['DD/MM/YYY'] })).toThrow(/got 'DD\/MM\/YYY'\. Did you mean 'DD\/MM\/YYYY'\?/);
    expect(() => loadDates({ trian: 10 } as never)).toThrow(/unknown option 'trian'\. Did you mean 'train'\?/);
    expect(() => loadDates({ train: 100.5 })).toThrow(ConfigError);
    expect(() => loadDates({ formats: ['YYYYMMDD'], train: 40_000 })).toThrow(
      /train \+ validation \+ test ≤ 36525 \(36525 days × 1 formats\), got 43000/,
    );
    expect(() => loadDates({ train: 1e9 })).toThrow(/Option 'train' of dataset datasets\/dates expects an integer ≥ 1 and ≤ 693975/);
  });
});
