// Written once, in core, where the file-system storage (nnkit's default `TOKENS.Storage`) uses it too.
export { writeFileAtomic } from '@nnkit/kit';
