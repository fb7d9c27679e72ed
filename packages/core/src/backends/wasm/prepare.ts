import { importOptional } from '../candidates.js';

/** Loads tfjs's WebAssembly backend. */
export async function prepareWasm(): Promise<void> {
  await importOptional('@tensorflow/tfjs-backend-wasm', 'pnpm add @tensorflow/tfjs-backend-wasm');
}
