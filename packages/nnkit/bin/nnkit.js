#!/usr/bin/env node
// The `nnkit` command, as @nnkit/cli installs it: this package depends on the CLI and forwards to it.
import { main } from '@nnkit/cli';

process.exitCode = await main(process.argv.slice(2));
