#!/usr/bin/env node
// `npm start`: build the extension, open VS Code with it on the demo workspace (demo/), and run the
// demo job (lrc-distill demo) into demo/.lrc/runs, where the run explorer shows it live. VS Code is the
// desktop `code` when it is on PATH; otherwise a local code-server on 127.0.0.1 (installed into a
// cached tool folder the first time), whose address is printed. Ctrl-C stops it.
// Before the demo it builds the native TensorFlow backend once (lrc-distill setup-native: TensorFlow's
// wheel from PyPI, tfjs-node compiled against it); where that fails the trainer runs on WebAssembly
// and says why. Flags: --no-demo (only open VS Code), --demo (run the demo again even if it has run
// before), --no-native (do not try to build the native backend).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspace = join(root, 'demo');
const runsDir = join(workspace, '.lrc', 'runs');
const args = process.argv.slice(2);

/** Whether the demo has already finished here (its LRC run is in the runs folder). */
function demoDone() {
  if (!existsSync(runsDir)) return false;
  return readdirSync(runsDir).some((id) => {
    try {
      const run = JSON.parse(readFileSync(join(runsDir, id, 'run.json'), 'utf8'));
      return run.kind === 'lrc' && run.status === 'finished' && run.name === 'demo LRC student';
    } catch {
      return false;
    }
  });
}

/** Runs the demo job in the foreground; its runs appear in the explorer as they go. */
function runDemo() {
  if (args.includes('--no-demo')) return;
  if (demoDone() && !args.includes('--demo')) {
    console.log(`The demo has run before (its runs are in ${runsDir}); \`npm start -- --demo\` runs it again.`);
    return;
  }
  console.log(`Running the demo job into ${runsDir} (about 4 minutes on 2 cores with the native backend, 8 on WebAssembly); follow it in the LRC Distill view.`);
  spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'demo', '--runs', runsDir], { cwd: workspace, stdio: 'inherit' });
}

/** Builds the native TensorFlow backend when it is not built yet; a failure is reported, not fatal. */
function ensureNativeBackend() {
  if (args.includes('--no-native')) return;
  const cli = join(root, 'dist', 'cli.js');
  const status = spawnSync(process.execPath, [cli, 'setup-native', 'status', '--json'], { encoding: 'utf8' });
  const built = status.status === 0 && JSON.parse(status.stdout).builds.some((b) => b.manifest);
  if (built) return;
  console.log("Building the native TensorFlow backend once (lrc-distill setup-native: TensorFlow's wheel from PyPI, about a minute); without it the trainer runs on WebAssembly, about 3x slower.");
  const r = spawnSync(process.execPath, [cli, 'setup-native'], { stdio: 'inherit' });
  if (r.status !== 0) console.log('The native backend could not be built (the line above says why): training runs on WebAssembly. `npm run setup-native` tries again.');
}

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
if (!args.includes('--no-demo')) ensureNativeBackend();

if (hasCommand('code') && !process.env.LRC_USE_CODE_SERVER) {
  console.log(`Opening VS Code on ${workspace} with the extension from ${root}`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  runDemo();
  process.exit(0);
}

const { startCodeServer } = await import('./vscode-server.mjs');
console.log('No desktop `code` on PATH: starting a local code-server (the first time it is installed, which takes a few minutes)…');
const server = await startCodeServer({ workspace, workspaceTrust: true });
const url = server.workbenchUrl({
  folder: workspace,
  payload: [['extensionDevelopmentPath', server.remoteUri(root)], ['skipWelcome', 'true']],
});
console.log(`\nLRC Distill is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser on this machine (or forward port ${server.port}). Ctrl-C stops it.`);
if (process.env.LRC_START_OPEN_BROWSER && hasCommand('xdg-open')) spawn('xdg-open', [url], { stdio: 'ignore', detached: true }).unref();

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping code-server…');
  await server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
runDemo();
console.log(`\nVS Code is still running at ${url}\nCtrl-C stops it.`);
await server.exited;
if (!stopping) {
  console.error('code-server exited:\n' + server.output().slice(-2000));
  process.exit(1);
}
