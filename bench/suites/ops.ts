// Suite "ops": what one operation costs, ours against PyTorch's (issue 21: why the demo-shape step is
// 2.4x PyTorch's while the paper-shape step is near it). Each case of bench/lib/opCases.ts (the kinds of
// kernel the demo step runs most, at its sizes) is timed on this run's backend and by
// bench/peer/op_cost.py in PyTorch, in turns, median of rounds; then the demo step's kernels are counted
// and multiplied by the floor (one call on one number), the time a step spends only in calling kernels.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { distillationStep } from '../../trainer/train/distillStep';
import { median } from '../lib/measure';
import { buildDistillation, disposeBatch, syntheticBatch } from '../lib/models';
import { OP_CASES, opCaseFlops, tfOp, type OpCase } from '../lib/opCases';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';
import { ourThreads, peerVenv } from './peer';

/** Microseconds per call of each round, after a warm-up. */
function timeOurs(c: OpCase, rounds: number): number[] {
  const { run, dispose } = tfOp(c);
  try {
    for (let i = 0; i < Math.max(20, c.calls / 10); i++) run().dispose();
    return Array.from({ length: rounds }, () => {
      const t0 = performance.now();
      for (let i = 0; i < c.calls; i++) run().dispose();
      return (1000 * (performance.now() - t0)) / c.calls;
    });
  } finally {
    dispose();
  }
}

function timePeer(python: string, root: string, cases: OpCase[], rounds: number, threads: number): { torch: string; cases: Record<string, number[]> } {
  const args = [join(root, 'bench', 'peer', 'op_cost.py'), '--cases', JSON.stringify(cases.map(({ name, shapes, calls }) => ({ name, shapes, calls }))), '--rounds', String(rounds), '--threads', String(threads)];
  const r = spawnSync(python, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60 * 1000 });
  if (r.status !== 0) throw new Error(`bench/peer/op_cost.py failed (${r.signal ? `killed by ${r.signal}` : `exit ${r.status}`})`);
  return JSON.parse(r.stdout);
}

/** The demo step's kernels by name (after a warm-up step), as tf.profile records them. */
async function demoStepKernels(ctx: SuiteContext): Promise<Map<string, number>> {
  const { d, dispose } = buildDistillation(DEMO_SHAPES);
  const batch = syntheticBatch(DEMO_SHAPES, 7);
  try {
    ctx.log('ops: the demo step\'s kernels');
    distillationStep(d, batch, { step: 0, dropoutSeed: 1 });
    const info = await tf.profile(() => {
      distillationStep(d, batch, { step: 1, dropoutSeed: 2 });
    });
    const counts = new Map<string, number>();
    for (const k of info.kernels) if (tf.getKernel(k.name, tf.getBackend())) counts.set(k.name, (counts.get(k.name) ?? 0) + 1);
    return counts;
  } finally {
    disposeBatch(batch);
    dispose();
  }
}

export const opsSuite: Suite = {
  name: 'ops',
  title: 'One operation, ours and PyTorch\'s (the demo step\'s kinds of kernel at its sizes)',
  needsBackend: true,
  async run(ctx) {
    const venv = peerVenv();
    const rounds = ctx.quick ? 3 : 9;
    const threads = ourThreads();
    const ours = new Map<string, number[]>();
    for (const c of OP_CASES) {
      ctx.log(`ops: ${c.name}, ${rounds} rounds of ${c.calls} calls`);
      ours.set(c.name, timeOurs(c, rounds));
    }
    const peer = venv.ready ? timePeer(venv.python, ctx.root, OP_CASES, rounds, threads) : undefined;
    const kernels = await demoStepKernels(ctx);
    const backend = tf.getBackend();
    // On the native backend Identity only counts a reference (tfjs-node's kernel): it never reaches TensorFlow.
    const calls = [...kernels].filter(([name]) => !(backend === 'tensorflow' && name === 'Identity')).reduce((s, [, n]) => s + n, 0);
    const floorUs = median(ours.get('mul_1')!);
    const peerFloorUs = peer ? median(peer.cases.mul_1) : NaN;
    const table: Table = {
      title: `Microseconds per call, median of ${rounds} rounds (${backend} against PyTorch ${peer?.torch ?? '(not installed)'}, ${threads} threads)`,
      columns: ['op', 'stands for', 'shapes', 'ours us', 'PyTorch us', 'ours / PyTorch', 'ours GFLOP/s', 'PyTorch GFLOP/s'],
      rows: OP_CASES.map((c) => {
        const o = median(ours.get(c.name)!);
        const p = peer ? median(peer.cases[c.name]) : NaN;
        const flops = opCaseFlops(c);
        return [c.name, c.role, c.shapes.map((s) => `[${s.join(',')}]`).join(' x '), fmt.n(o, 1), peer ? fmt.n(p, 1) : '-', peer ? fmt.x(o / p, 1) : '-',
          flops ? fmt.n(flops / o / 1000) : '', flops && peer ? fmt.n(flops / p / 1000) : ''];
      }),
      note: 'Each call makes its output and frees it (ours: dispose; PyTorch: the reference dropped), as a training step does. PyTorch under torch.no_grad(): the cost of the operation, not of its autograd record.',
    };
    const floor: Table = {
      title: 'The demo step\'s kernel calls against the floor of one call',
      columns: ['kernel calls of the demo step (reaching the backend)', 'floor per call, ours us', 'calls x floor, ms', 'the same calls at PyTorch\'s floor, ms'],
      rows: [[calls, fmt.n(floorUs, 1), fmt.n((calls * floorUs) / 1000, 1), peer ? fmt.n((calls * peerFloorUs) / 1000, 1) : '-']],
      note: `Kernels counted by tf.profile on one step after a warm-up${backend === 'tensorflow' ? ` (${kernels.get('Identity') ?? 0} Identity calls left out: on tfjs-node they only count a reference)` : ''}. The floor is the time of a call that does no arithmetic: the engine's bookkeeping, the binding and the backend's dispatch.`,
    };
    return {
      tables: [table, floor],
      notes: peer ? [] : [`PyTorch's side skipped: no venv at ${venv.dir} (bash bench/peer/setup.sh makes it).`],
      data: { backend, threads, rounds, ours: Object.fromEntries(ours), peer, kernels: Object.fromEntries(kernels), calls, floorUs, peerFloorUs },
    };
  },
};
