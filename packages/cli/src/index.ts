export { main, type Io } from './main.js';
export { UsageError } from './usage-error.js';
