const WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/**
 * A digit string as the words a synthesizer should say, one per digit: '417' → 'four one seven'. Given the digits
 * themselves eSpeak NG would read a number ("four hundred and seventeen").
 */
export function digitWords(digits: string): string {
  return [...digits].map((d) => WORDS[Number(d)]!).join(' ');
}
