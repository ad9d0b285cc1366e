// Entry of the trainer child process. The extension host forks it with an IPC channel; every message
// goes through TrainerServer, which validates it. The process ends on `shutdown`, when the host
// disconnects, or on SIGTERM.
import { HelloRequest, PROTOCOL_VERSION, ShutdownRequest, type TrainerToHostMessage } from './protocol';
import { TrainerServer } from './server';
import { selectBackend } from './backend/select';
import { trainerVersions } from './versions';

if (!process.send) {
  console.error('The trainer is started by the LRC Distill extension over IPC; use `lrc-distill` (dist/cli.js) from a terminal.');
  process.exit(2);
}

const send = (msg: TrainerToHostMessage) => {
  if (process.connected) process.send!(msg);
};
const server = new TrainerServer(send);

server.on(HelloRequest, async ({ backend }) => {
  const report = await selectBackend({ force: backend, wasmDir: __dirname });
  return { protocolVersion: PROTOCOL_VERSION, pid: process.pid, backend: report, versions: trainerVersions() };
});

server.on(ShutdownRequest, () => {
  setImmediate(() => process.exit(0));
  return {};
});

process.on('message', (raw) => void server.receive(raw));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
