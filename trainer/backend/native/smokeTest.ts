// The proof that a native build works, run in a child process of its own (a binding that crashes on
// load must not take the CLI down): the package loads, its backend is 'tensorflow', a matMul and a
// gradient give the right numbers.
import { UserError } from '../../errors';
import type { NativeManifest } from './nativeHome';
import { lastWords, runTool } from './processRun';

const SCRIPT = `
const tf = require(process.argv[1]);
(async () => {
  await tf.setBackend('tensorflow');
  const backend = tf.backend();
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const matMul = tf.matMul(a, a).sum().dataSync()[0];
  const gradient = Array.from(tf.grad((x) => x.square().sum())(tf.tensor1d([1, 2, 3])).dataSync());
  process.stdout.write('SMOKE ' + JSON.stringify({ backend: tf.getBackend(), tfVersion: String(backend.binding.TF_Version), gpu: backend.isUsingGpuDevice === true, matMul, gradient }) + '\\n');
})().catch((e) => { console.error(e && e.stack || String(e)); process.exit(1); });
`;

export type SmokeResult = NativeManifest['smoke'];

/** Checks what the smoke test printed: the backend and both results exact. */
export function checkSmoke(result: SmokeResult): void {
  if (result.backend !== 'tensorflow') throw new UserError(`the smoke test ran on backend '${result.backend}', not 'tensorflow'`);
  if (result.matMul !== 54) throw new UserError(`the smoke test's matMul gave ${result.matMul}, not 54`);
  if (result.gradient.join(',') !== '2,4,6') throw new UserError(`the smoke test's gradient gave [${result.gradient.join(', ')}], not [2, 4, 6]`);
}

export async function smokeTest(pkgDir: string, log: (line: string) => void): Promise<SmokeResult> {
  const run = await runTool(process.execPath, ['-e', SCRIPT, pkgDir], { env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: process.env.TF_CPP_MIN_LOG_LEVEL ?? '1' }, log });
  const line = run.stdout.split('\n').find((l) => l.startsWith('SMOKE '));
  if (run.status !== 0 || !line) throw new UserError(`the new binding did not load: ${lastWords(run)}`);
  const result = JSON.parse(line.slice('SMOKE '.length)) as SmokeResult;
  checkSmoke(result);
  return result;
}
