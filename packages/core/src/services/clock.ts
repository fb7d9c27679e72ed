/**
 * What time it is, for everything that measures it: the progress display's ETA and throughput, and the seconds a
 * run took as observers hear them. A test binds a clock it moves by hand; nothing in nnkit reads the time otherwise.
 */
export interface Clock {
  /** Milliseconds from an arbitrary origin (only differences mean anything), as `performance.now()`. */
  now(): number;
}
