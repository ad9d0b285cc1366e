// Runs one suite in this process: `node --import tsx bench/suite.ts <name> <result.json> [--quick]
// [--backend wasm|cpu|tensorflow] [--threads auto|N]`. bench/main.ts starts one such process per suite.
// It ends with process.exit: the WASM backend's pthread workers (--threads above 1) keep a process alive.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { selectBackend, type BackendName } from '../trainer/backend/select';
import { resolveThreads } from '../trainer/backend/threadsSetting';
import type { SuiteResult } from './lib/report';
import { SUITES } from './suites/index';

async function main(): Promise<void> {
  const [name, out, ...rest] = process.argv.slice(2);
  const suite = SUITES.find((s) => s.name === name);
  if (!suite || !out) throw new Error(`usage: suite.ts <${SUITES.map((s) => s.name).join('|')}> <result.json> [--quick] [--backend name]`);
  const quick = rest.includes('--quick');
  const backendIndex = rest.indexOf('--backend');
  const backend = (backendIndex >= 0 ? rest[backendIndex + 1] : 'wasm') as BackendName;
  const t0 = performance.now();
  const threadsIndex = rest.indexOf('--threads');
  const { threads, source } = resolveThreads(threadsIndex >= 0 ? rest[threadsIndex + 1] : undefined);
  const report = suite.needsBackend ? await selectBackend({ force: backend, threads, threadsSource: source }) : undefined;
  const log = (m: string) => process.stderr.write(`  [${suite.name}] ${m}\n`);
  const threadsText = report?.backend === 'wasm' ? `${threads} (${source})` : '1';
  const output = await suite.run({ quick, root: resolve(__dirname, '..'), threads: threadsText, log });
  const result: SuiteResult = { suite: suite.name, title: suite.title, seconds: (performance.now() - t0) / 1000, ...output, ...(report ? { backend: report } : {}) };
  writeFileSync(out, JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
