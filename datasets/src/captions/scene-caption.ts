import { POSITIONS, type Scene, type SceneDigit } from './scene-layout.js';

export const DIGIT_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] as const;

/**
 * A scene's caption, as words (no punctuation, as COCO captions are tokenized):
 *
 *   one digit      a <size> <digit> at the <position>           "a large seven at the top left"
 *   two digits     a <size> <digit> above a <size> <digit>      "a large seven above a small two"
 *                  a <size> <digit> left of a <size> <digit>    "a small four left of a large one"
 *   three or four  <count> digits from left to right <digit>…   "three digits from left to right one four nine"
 *
 * <size> is small or large, <digit> zero … nine, <position> one of top left, top, top right, left, center, right,
 * bottom left, bottom, bottom right. Two digits are named upper or left one first.
 */
export function sceneCaption(scene: Scene): string[] {
  const name = (d: SceneDigit) => ['a', d.size, DIGIT_WORDS[d.label]!];
  const [first, second] = scene.digits;
  switch (scene.arrangement) {
    case 'single':
      return [...name(first!), 'at', 'the', ...scene.position.split(' ')];
    case 'above':
      return [...name(first!), 'above', ...name(second!)];
    case 'left of':
      return [...name(first!), 'left', 'of', ...name(second!)];
    case 'row':
      return [
        DIGIT_WORDS[scene.digits.length]!,
        'digits',
        'from',
        'left',
        'to',
        'right',
        ...scene.digits.map((d) => DIGIT_WORDS[d.label]!),
      ];
  }
}

/** Every word a scene caption can use (25). */
export const SCENE_WORDS: readonly string[] = [
  ...new Set([
    'a',
    'small',
    'large',
    'at',
    'the',
    'above',
    'left',
    'of',
    'digits',
    'from',
    'to',
    'right',
    ...POSITIONS.flatMap((p) => p.split(' ')),
    ...DIGIT_WORDS,
  ]),
];
