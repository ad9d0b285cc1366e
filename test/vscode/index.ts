// Entry of the suite that runs inside a real VS Code extension host: code-server in
// test/vscode/run.mjs, the desktop build in scripts/test-electron.mjs. esbuild bundles it with the test
// files into dist-test/vscode/index.js, and the host calls run() (the @vscode/test-electron contract).
import Mocha from 'mocha';

// Every test file of this tier. A bundle cannot glob at run time, so each file is named here and
// loaded after mocha has set up its globals (suite, test, ...). run.mjs refuses to start when a
// test/vscode/**/*.test.ts file is missing from this list.
const testFiles: Array<[name: string, load: () => Promise<unknown>]> = [
  ['smoke.test', () => import('./smoke.test')],
  ['runs.test', () => import('./runs.test')],
  ['analysis.test', () => import('./analysis.test')],
  ['sweeps.test', () => import('./sweeps.test')],
  ['sweepFront.test', () => import('./sweepFront.test')],
  ['errors.test', () => import('./errors.test')],
  ['general.test', () => import('./general.test')],
  ['nativeSetup.test', () => import('./nativeSetup.test')],
];

// LRC_VSCODE_TESTS=sweepFront.test,smoke.test runs only those files (a quicker loop while working on one).
const only = process.env.LRC_VSCODE_TESTS?.split(',').map((n) => n.trim()).filter(Boolean);

export async function run(): Promise<void> {
  // The extension host starts the trainer and VS Code itself: generous timeouts, plain output.
  const mocha = new Mocha({ ui: 'tdd', timeout: 120_000, slow: 10_000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'bundle', mocha);
  for (const [name, load] of testFiles) {
    if (only?.length && !only.includes(name)) continue;
    try {
      await load();
    } catch (e) {
      throw new Error(`could not load test file ${name}: ${(e as Error).stack ?? e}`);
    }
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} vscode-tier test(s) failed`);
}
