// The contract of a benchmark suite: bench/suite.ts runs one in a fresh Node process (so that its
// peak memory and its WASM heap are its own) and hands its result to bench/main.ts.
import type { SuiteResult } from './report';

export interface SuiteContext {
  /** Fewer steps and repetitions: a smoke run of seconds to a minute per suite. */
  quick: boolean;
  /** The repository root. */
  root: string;
  /** Threads of the WASM backend (1 for other backends), with where the number came from. */
  threads: string;
  /** Progress on stderr. */
  log(message: string): void;
}

export type SuiteOutput = Omit<SuiteResult, 'suite' | 'title' | 'seconds'>;

export interface Suite {
  name: string;
  title: string;
  /** Whether bench/suite.ts starts a TensorFlow.js backend first. */
  needsBackend: boolean;
  run(ctx: SuiteContext): Promise<SuiteOutput>;
}
