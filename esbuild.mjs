#!/usr/bin/env node
// One build script for every bundle: `node esbuild.mjs [--production] [--watch] [--tests]`.
//   dist/extension.js        the extension host (Node, CommonJS, `vscode` external)
//   dist/trainer.js          the trainer child process (Node; native TensorFlow packages external)
//   dist/cli.js              the headless CLI `lrc-distill` (same code as the trainer)
//   dist/webview/<panel>.js  one browser bundle per webview panel (webview/<panel>/main.ts)
//   dist/*.wasm              the TensorFlow.js WASM binaries, next to the trainer bundle
//   dist/tfjs-backend-wasm-threaded-simd{,.worker}.js  the threaded build's Emscripten glue and worker
//                            script: its pthread workers load them from files (trainer/backend/wasmThreads.ts)
//   dist-test/vscode/index.js  with --tests: the mocha suite that runs inside a real VS Code
// Type-checking is a separate step (`npm run typecheck`), run by `npm test` too.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

// Packages with native binaries or their own file layout stay outside the bundles.
const nativeExternals = ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu', 'tokenizers'];

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  absWorkingDir: root,
};

const nodeCommon = { ...common, platform: 'node', format: 'cjs', target: 'node20' };

const webviewPanels = existsSync(join(root, 'webview'))
  ? readdirSync(join(root, 'webview'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, 'webview', d.name, 'main.ts')))
      .map((d) => d.name)
  : [];

const builds = [
  { ...nodeCommon, entryPoints: ['extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...nodeCommon, entryPoints: ['trainer/main.ts'], outfile: 'dist/trainer.js', external: nativeExternals },
  existsSync(join(root, 'trainer/cli.ts')) && {
    ...nodeCommon, entryPoints: ['trainer/cli.ts'], outfile: 'dist/cli.js', external: nativeExternals,
    banner: { js: '#!/usr/bin/env node' },
  },
  ...webviewPanels.map((panel) => ({
    ...common, platform: 'browser', format: 'iife', target: 'es2022',
    entryPoints: [`webview/${panel}/main.ts`], outfile: `dist/webview/${panel}.js`,
  })),
  tests && {
    ...nodeCommon, entryPoints: ['test/vscode/index.ts'], outfile: 'dist-test/vscode/index.js',
    external: ['vscode', 'mocha', ...nativeExternals],
  },
].filter(Boolean);

/** The WASM backend loads its binaries from the folder of the trainer bundle; the threaded build's
 * workers load its glue from there too. */
function copyWasmBinaries() {
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  mkdirSync(join(root, 'dist'), { recursive: true });
  for (const f of readdirSync(wasmDir).filter((n) => n.endsWith('.wasm'))) copyFileSync(join(wasmDir, f), join(root, 'dist', f));
  const wasmOut = join(wasmDir, '..', 'wasm-out');
  for (const f of ['tfjs-backend-wasm-threaded-simd.js', 'tfjs-backend-wasm-threaded-simd.worker.js']) copyFileSync(join(wasmOut, f), join(root, 'dist', f));
}

copyWasmBinaries();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching for changes...');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
