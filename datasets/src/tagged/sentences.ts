/**
 * Abbreviations after which a full stop does not end a sentence (lower case, without the stop): titles, and the
 * few others that Moby Dick and the State of the Union addresses use before a capital ("Mr. Starbuck", "St. Louis").
 */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'capt',
  'col',
  'gen',
  'gov',
  'sen',
  'rep',
  'rev',
  'hon',
  'jr',
  'sr',
  'messrs',
  'vs',
  'no',
  'vol',
  'u.s',
  'u.s.a',
  'i.e',
  'e.g',
]);

/**
 * A candidate end of sentence: one or more of `.!?`, any closing quotes or brackets, white space, and then what can
 * start a sentence (a capital or a digit, maybe after an opening quote or bracket).
 */
const BOUNDARY = /([.!?]+)(["'”’)\]]*)\s+(?=["'“‘([]?[A-Z0-9])/g;

/** Whether the stop at `end` (the index of `.` in `text`) follows an abbreviation or an initial ("J. Q. Adams"). */
function afterAbbreviation(text: string, end: number): boolean {
  const word = /([A-Za-z.]+)$/.exec(text.slice(Math.max(0, end - 12), end))?.[1] ?? '';
  return ABBREVIATIONS.has(word.toLowerCase()) || /^[A-Z]$/.test(word);
}

/**
 * `text` cut into sentences: a paragraph (text between blank lines) never runs into the next, and within one a
 * sentence ends at `.`, `!` or `?` (with any closing quotes) followed by a capital, except after a title or an
 * initial. Rule-based, as Punkt's rules of thumb without its learned statistics: good enough for edited prose like
 * Melville's and the addresses', where a stray split or join only moves a few tokens between sentences.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const flat = paragraph.replace(/\s+/g, ' ').trim();
    let start = 0;
    for (const match of flat.matchAll(BOUNDARY)) {
      const stop = match.index;
      if (match[1] === '.' && afterAbbreviation(flat, stop)) continue;
      sentences.push(flat.slice(start, stop + match[1]!.length + match[2]!.length).trim());
      start = stop + match[0].length;
    }
    const rest = flat.slice(start).trim();
    if (rest.length > 0) sentences.push(rest);
  }
  return sentences.filter((s) => s.length > 0);
}
