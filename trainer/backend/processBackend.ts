// The backend of a trainer process (the CLI's commands, the trainer server): the run config's backend
// setting, the binaries beside the bundle when it is one, and the thread count of resolveThreads. Only
// processes that end with process.exit use this (the WASM pthread workers keep a process alive).
import type { BackendName, BackendReport } from './select';
import { selectBackend } from './select';
import { resolveThreads } from './threadsSetting';
import { wasmDirBeside } from './wasmDir';

export async function selectProcessBackend(setting: BackendName | 'auto' | undefined, threadsFlag?: string): Promise<BackendReport> {
  const { threads, source } = resolveThreads(threadsFlag);
  return selectBackend({ force: setting === 'auto' ? undefined : setting, wasmDir: wasmDirBeside(__dirname), threads, threadsSource: source });
}
