import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isNnkitError, type RunObserver } from '@nnkit/core';
import { createKit, jsonLinesObserver } from '@nnkit/kit';
import { BACKEND_NAMES, describeChoice, type BackendRequest } from '@nnkit/backends';
import { builtinPlugins } from './builtin-plugins.js';
import type { Command } from './command.js';
import { COMMANDS } from './commands/index.js';
import { commandHelp, mainHelp } from './help.js';
import { choiceOption, integerOption, SEED_RANGE } from './options.js';
import { didYouMean } from './did-you-mean.js';
import { parseCommandLine } from './parse-argv.js';
import { UsageError } from './usage-error.js';
import { versions } from './version.js';

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  readonly cwd: string;
}

const processIo: Io = {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  cwd: process.cwd(),
};

/**
 * Errors that are a mistake in how nnkit was called, as a bad flag is (exit 2): a config key or option that is
 * unknown or ill-typed (--config, --dataset-options, nnkit.config.json), and a name typed that is not registered (a
 * model, dataset, cell, preset, recipe). By code, so that a second copy of core's error classes counts.
 */
const USAGE_CODES: ReadonlySet<string> = new Set(['NNKIT_CONFIG', 'NNKIT_UNKNOWN_NAME']);

/**
 * NNKIT_BACKEND stands for --backend, so a bad value is refused as --backend's is (exit 2), before any work; left to
 * the backend loader it would be a runtime error (exit 1).
 */
function checkBackendVariable(value: string | undefined): void {
  if (value === undefined) return;
  const choices = ['auto', ...BACKEND_NAMES];
  if (choices.includes(value)) return;
  throw new UsageError(
    `NNKIT_BACKEND expects one of ${choices.join(', ')}, got '${value}'.${didYouMean(value, choices)} Set it to one of those or unset it.`,
  );
}

/**
 * `NNKIT_EVENTS=<file>`: every training run's events (start, steps, epochs, end, notes) appended to the file as JSON
 * lines, for a dashboard or a script to follow. A file it can't write to is said in one line; training goes on.
 */
function eventObservers(cwd: string): RunObserver[] {
  const file = process.env.NNKIT_EVENTS;
  return file ? [jsonLinesObserver((line) => appendFileSync(resolve(cwd, file), line))] : [];
}

/** Runs the nnkit command line; resolves to the exit code (0 success, 1 runtime error, 2 usage error). */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  let command: Command | undefined;
  try {
    const first = parseCommandLine(argv);
    if (first.values.version) {
      const all = versions();
      io.stdout(
        `${first.values.json ? JSON.stringify(all, null, 2) : `nnkit ${all['@nnkit/cli']} (@nnkit/core ${all['@nnkit/core']}, @tensorflow/tfjs ${all['@tensorflow/tfjs']}, Node ${all.node})`}\n`,
      );
      return 0;
    }
    const name = first.positionals[0];
    if (name === undefined) {
      if (first.values.help) {
        io.stdout(`${mainHelp(COMMANDS)}\n`);
        return 0;
      }
      throw new UsageError('nnkit expects a command, got none.');
    }
    command = COMMANDS.find((c) => c.name === name);
    if (!command) {
      const names = COMMANDS.map((c) => c.name);
      throw new UsageError(`nnkit expects a command among ${names.join(', ')}, got '${name}'.${didYouMean(name, names)}`);
    }
    const { values, positionals } = parseCommandLine(argv, command);
    if (values.help) {
      io.stdout(`${commandHelp(command)}\n`);
      return 0;
    }
    const args = positionals.slice(1);
    const { min, max } = command.positionals;
    if (args.length < min || args.length > max) {
      throw new UsageError(`'${command.name}' expects ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}.`);
    }
    const backend: BackendRequest | undefined = choiceOption(values.backend, 'backend', ['auto', ...BACKEND_NAMES]);
    if (backend === undefined) checkBackendVariable(process.env.NNKIT_BACKEND);
    const seed = integerOption(values.seed, 'seed', SEED_RANGE);
    const json = Boolean(values.json);
    let kitPromise: ReturnType<typeof createKit> | undefined;
    await command.run({
      positionals: args,
      values,
      json,
      kit: () =>
        (kitPromise ??= (async () => {
          const kit = await createKit({
            plugins: await builtinPlugins(),
            configFile: true,
            discover: !values['no-discover'],
            cwd: io.cwd,
            observers: eventObservers(io.cwd),
            ...(backend !== undefined && { backend }),
            ...(seed !== undefined && { seed }),
          });
          if (!json) io.stderr(`${describeChoice(kit.backend).split('\n')[0]}\n`);
          return kit;
        })()),
      print: (data, text) => io.stdout(`${json ? JSON.stringify(data, null, 2) : text()}\n`),
    });
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (isNnkitError(error) && USAGE_CODES.has(error.code))) {
      io.stderr(`nnkit: ${error.message}\n${command ? `usage: nnkit ${command.usage}` : 'usage: nnkit <command>'} (see --help)\n`);
      return 2;
    }
    if (isNnkitError(error)) {
      io.stderr(`nnkit: ${error.message}\n`);
      return 1;
    }
    io.stderr(`nnkit: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}
