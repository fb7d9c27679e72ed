import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onDisk } from '@nnkit/kit';
import { checkOutputFolder } from './output-folder.js';

// Written once, in core, beside the file-system storage that uses them too.
export { onDisk, storageError } from '@nnkit/kit';

/**
 * Makes sure `dir` is a folder nnkit can write to, before any work that ends in writing there: checked first as
 * `checkOutputFolder` does (not virtual, not a file or under one, writable, `room` bytes free), then created if
 * missing and probed (a file written and removed). `role` names the folder in messages ("The output folder").
 */
export function checkWritableFolder(dir: string, options: { role: string; room?: number }): void {
  checkOutputFolder(dir, options);
  onDisk('Creating the folder', dir, () => mkdirSync(dir, { recursive: true }));
  const probe = join(dir, `.nnkit-write-probe-${process.pid}`);
  onDisk('Writing to', dir, () => {
    writeFileSync(probe, '');
    rmSync(probe);
  });
}
