#!/usr/bin/env node
// `npm start`: build the extension and open VS Code with it on the demo workspace (demo/).
// The desktop `code` when it is on PATH; otherwise a local code-server on 127.0.0.1 (installed into a
// cached tool folder the first time), whose address is printed. Ctrl-C stops it.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const workspace = join(root, 'demo');

function hasCommand(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

const build = spawnSync(process.execPath, [join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

if (hasCommand('code') && !process.env.LRC_USE_CODE_SERVER) {
  console.log(`Opening VS Code on ${workspace} with the extension from ${root}`);
  const r = spawnSync('code', [`--extensionDevelopmentPath=${root}`, workspace], { stdio: 'inherit' });
  process.exit(r.status ?? 0);
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
await server.exited;
if (!stopping) {
  console.error('code-server exited:\n' + server.output().slice(-2000));
  process.exit(1);
}
