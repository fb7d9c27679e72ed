import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ConfigError, DataError } from '@nnkit/core';
import type ESpeakNg from 'espeak-ng';

/** How one utterance is said. */
export interface SpeechRequest {
  /** eSpeak NG's voice: an accent, maybe with a variant ('en-us+m3'). */
  readonly voice: string;
  /** Words per minute (eSpeak NG's -s; 80–450, default 175). */
  readonly wordsPerMinute: number;
  /** Pitch (eSpeak NG's -p; 0–99, default 50). */
  readonly pitch: number;
  /** What to say, in words. */
  readonly text: string;
}

/** Says a request and gives the WAV file's bytes. The default is eSpeak NG's; a test may wrap it to count calls. */
export type Synthesizer = (request: SpeechRequest) => Promise<Uint8Array>;

const require = createRequire(import.meta.url);

/** The version of the espeak-ng package: part of every cache key, since another build may say things otherwise. */
export const ESPEAK_NG_VERSION: string = (require('espeak-ng/package.json') as { version: string }).version;

/**
 * The clock eSpeak NG sees, in ms since 1970. It seeds its random numbers from the time (srand(time(NULL))), which the
 * breathy variants (f2, f3, f5) mix into the voice: on the real clock the same request gave other bytes every second.
 * A fixed clock makes every synthesis reproducible, on any machine.
 */
const FIXED_CLOCK_MS = 0;

/** What this file uses of the WebAssembly global (Node has it; the ES2023 lib without DOM does not declare it). */
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface Engine {
  readonly create: typeof ESpeakNg;
  /** The compiled WebAssembly.Module. */
  readonly wasm: object;
}

/** The module factory and its compiled WebAssembly (18 MB), loaded on first use: loading the plugin reads neither. */
let engine: Promise<Engine> | undefined;

function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const script = require.resolve('espeak-ng');
    const [module, bytes] = await Promise.all([import('espeak-ng'), readFile(join(dirname(script), 'espeak-ng.wasm'))]);
    return { create: module.default, wasm: await wasmApi.compile(bytes) };
  })();
  return engine;
}

/**
 * Runs eSpeak NG's command line in a fresh instance, with the clock fixed: the module, and what it printed.
 *
 * Emscripten's Node shell ends every run with `process.exitCode = <main's status>` (an unknown voice leaves 1), which
 * would make the application exit with eSpeak NG's status however it handled the error: the code is put back. And it
 * waits forever on an `instantiateWasm` that never calls back, so a failed instantiation rejects the run instead.
 */
async function runEspeak(args: string[]): Promise<{ espeak: Awaited<ReturnType<typeof ESpeakNg>>; printed: string[] }> {
  const { create, wasm } = await loadEngine();
  const printed: string[] = [];
  let failed: (error: unknown) => void = () => {};
  const instantiation = new Promise<never>((_, reject) => (failed = reject));
  const exitCode = process.exitCode;
  try {
    const espeak = await Promise.race([
      create({
        arguments: args,
        print: (line) => printed.push(line),
        // Emscripten also reports "program exited … keepRuntimeAlive()" here when main() calls exit(): noise, not an error.
        printErr: (line) => {
          if (!line.includes('keepRuntimeAlive')) printed.push(line);
        },
        instantiateWasm(imports, receive) {
          // The glue hands the same import object as `env` and as `wasi_snapshot_preview1`; both get the fixed clock.
          const env = { ...imports['env'], emscripten_date_now: () => FIXED_CLOCK_MS };
          wasmApi
            .instantiate(wasm, { ...imports, env, wasi_snapshot_preview1: env })
            .then(receive)
            .catch(failed);
          return {};
        },
      }),
      instantiation,
    ]);
    return { espeak, printed };
  } catch (error) {
    throw new DataError(`eSpeak NG expects to start from its WebAssembly, got: ${String(error)}. Reinstall the espeak-ng package.`, {
      cause: error,
    });
  } finally {
    process.exitCode = exitCode;
  }
}

/**
 * eSpeak NG (npm espeak-ng, Emscripten WebAssembly) run as its command line, `espeak-ng -v <voice> -s <wpm> -p <pitch>
 * -w out.wav <text>`, in a fresh instance per call (its main() runs once; ≈ 0.15–0.2 s an utterance, most of it the
 * synthesis), instantiated from the module compiled once, with its clock fixed (FIXED_CLOCK_MS). The file is 16-bit
 * PCM mono at 22,050 Hz with its sizes filled in; the same request gives the same bytes. An unknown voice is a
 * ConfigError; any other failure a DataError with what eSpeak NG printed.
 */
export const espeakSynthesizer: Synthesizer = async ({ voice, wordsPerMinute, pitch, text }) => {
  const { espeak, printed } = await runEspeak(['-v', voice, '-s', String(wordsPerMinute), '-p', String(pitch), '-w', 'out.wav', text]);
  const said = printed.join(' ');
  if (/voice does not exist/i.test(said)) {
    throw new ConfigError(`eSpeak NG expects a voice it has ('en-us', 'en-gb+f3', …; espeak-ng --voices=en), got '${voice}'.`, 'voice');
  }
  try {
    return espeak.FS.readFile('out.wav');
  } catch (error) {
    throw new DataError(
      `eSpeak NG expects to write out.wav for ${JSON.stringify(text)} in voice '${voice}', got no file (it said: ${said || 'nothing'}).`,
      {
        cause: error,
      },
    );
  }
};

/**
 * What this build of eSpeak NG has: the languages of `espeak-ng --voices=<language>` ('en-us', 'en-gb-scotland', …) and
 * the variants of `--voices=variant`, by file name ('m3', 'f5', 'klatt', …). A voice '<language>+<variant>' whose
 * variant is not there is said in the plain language, without a word of warning.
 */
export async function espeakVoices(language = 'en'): Promise<{ languages: string[]; variants: string[] }> {
  const [languages, variants] = await Promise.all([runEspeak([`--voices=${language}`]), runEspeak(['--voices=variant'])]);
  return {
    // Rows: priority, language, age/gender, voice name, file, other languages; the first row is the heading.
    languages: languages.printed.slice(1).map((row) => row.trim().split(/\s+/)[1]!),
    variants: variants.printed.flatMap((row) => /!v\/(\S+)/.exec(row)?.[1] ?? []),
  };
}
