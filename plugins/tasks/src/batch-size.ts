/**
 * The batch size to train with: a batch larger than the training data is all of it, said in one line (`onNote`),
 * rather than a silent single step or an attempt to allocate what was asked.
 */
export function batchSizeFor(requested: number, available: number, what: string, onNote: (line: string) => void = () => {}): number {
  if (requested <= available) return requested;
  onNote(`batch size ${requested} is more than the ${available} ${what} to train on: using ${available}, one batch per epoch.`);
  return available;
}
