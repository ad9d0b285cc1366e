// Where the WASM binaries are for the code that is running: the build copies them next to the trainer
// and CLI bundles (dist/); from the TypeScript sources (tests, tsx) they stay in node_modules, and
// selectBackend's default finds them there.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `dir` when it holds the tfjs-backend-wasm binaries, else undefined (use the installed package's). */
export function wasmDirBeside(dir: string): string | undefined {
  return existsSync(join(dir, 'tfjs-backend-wasm-simd.wasm')) && existsSync(join(dir, 'tfjs-backend-wasm.wasm')) ? dir : undefined;
}
