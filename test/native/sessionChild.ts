// A child process of the native tier's tests: one run's session on one backend (a process has one
// TensorFlow.js backend), optionally stopped after a step (checkpointing first, as a user's stop does)
// or resumed from its last checkpoint. Prints the run's final status as one JSON line.
//   node --import tsx test/native/sessionChild.ts '{"backend":"wasm","runDir":"...","stopAt":6,"resume":false}'
import { useBackend } from '../unit/helpers/backend';
import { quietEvents } from '../unit/session/tinyTask';
import { TrainingSession } from '../../trainer/session/trainingSession';

interface ChildArgs {
  backend: 'wasm' | 'tensorflow';
  runDir: string;
  stopAt?: number;
  resume?: boolean;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as ChildArgs;
  process.env.LRC_TEST_BACKEND = args.backend;
  await useBackend('wasm'); // the native backend when LRC_TEST_BACKEND=tensorflow
  let session: TrainingSession | undefined;
  const events = quietEvents((step) => {
    if (args.stopAt !== undefined && step === args.stopAt) session?.control({ type: 'stop' });
  });
  session = new TrainingSession(args.runDir, { resume: args.resume ?? false, events });
  const done = await session.run();
  const tf = await import('@tensorflow/tfjs');
  console.log(JSON.stringify({ status: done.status, error: done.error?.message, backend: tf.getBackend() }));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.stack : String(err));
    process.exit(1);
  },
);
