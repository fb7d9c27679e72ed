import type { RecipeRow } from '@nnkit/core';

/** What a run's rows add up to: reproduced only where at least one row was checked and none fell short. */
export interface Verdict {
  readonly reproduced: boolean;
  /** Why not, where not reproduced: nothing checked, or how many checks fell short. */
  readonly reason?: string;
  readonly passed: number;
  readonly checked: number;
  /** One line for people: "reproduced: 3 of 3 checks ✓", "smoke run: nothing checked", "1 of 3 checks fall short ✗". */
  readonly text: string;
}

export const SMOKE_RUN = 'smoke run: nothing checked';

/**
 * The verdict of a run's rows. A run with no ✓/✗ row is a smoke run, never "reproduced": `[].every(…)` is true, and
 * a quick run that scored 0% once printed "reproduced" that way.
 */
export function verdictOf(rows: readonly RecipeRow[]): Verdict {
  const checked = rows.filter((r) => r.ok !== undefined);
  const passed = checked.filter((r) => r.ok).length;
  if (checked.length === 0)
    return {
      reproduced: false,
      reason: `${SMOKE_RUN}: no row compares a measurement with a target`,
      passed,
      checked: 0,
      text: SMOKE_RUN,
    };
  const failed = checked.length - passed;
  if (failed > 0) {
    const text = `${failed} of ${checked.length} checks fall short ✗`;
    return { reproduced: false, reason: text.replace(' ✗', ''), passed, checked: checked.length, text };
  }
  return {
    reproduced: true,
    passed,
    checked: checked.length,
    text: `reproduced: ${passed} of ${checked.length} checks ✓`,
  };
}
