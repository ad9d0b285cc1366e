// Suite "peer": our LRC step against the same step in PyTorch (issue 21, "The peer"). For the demo's and
// the paper's shapes, in turns and close in time: our step (distillationStep on this run's backend and
// threads, as the training suite times it) and bench/peer/torch_lrc_step.py (transformers'
// BertForSequenceClassification, the same losses, perturbation, clipping and AdamW, in TextBrewer's
// style) with torch.set_num_threads set to the thread count our run uses. Each side's figure is the
// median of its timed steps after warm-up; the ratio our step / PyTorch's is the issue's (target <= 1.0).
// PyTorch comes from the venv of bench/peer/setup.sh (torch from PyPI: MKL and oneDNN kernels); without
// it the suite is skipped and says how to make it. First the peer's loss functions are checked against ours on
// small tensors (bench/peer/check-losses.ts): the suite fails if they differ.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveThreads } from '../../trainer/backend/threadsSetting';
import { distillationStep } from '../../trainer/train/distillStep';
import { lrcStepFlops } from '../lib/flops';
import { MatMulReference, cpuShare, medianTiming, timeIt, type Timing } from '../lib/measure';
import { buildDistillation, disposeBatch, syntheticBatch } from '../lib/models';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES, PAPER_SHAPES, describeShape, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';

/** The venv of bench/peer/setup.sh: ${LRC_DISTILL_CACHE:-~/.cache/lrc-distill}/venv, ready once .lrc-ready exists. */
export function peerVenv(env: NodeJS.ProcessEnv = process.env): { python: string; ready: boolean; dir: string } {
  const dir = join(env.LRC_DISTILL_CACHE || join(homedir(), '.cache', 'lrc-distill'), 'venv');
  return { dir, python: join(dir, 'bin', 'python'), ready: existsSync(join(dir, '.lrc-ready')) && existsSync(join(dir, 'bin', 'python')) };
}

export interface PeerShapeResult {
  shape: string;
  mapping: [number, number][];
  warmup: Timing[];
  steps: Timing[];
  median: Timing;
  losses: { first: Record<string, number>; last: Record<string, number> };
}

export interface PeerOutput {
  torch: string;
  transformers: string;
  python: string;
  threads: number;
  mkl: boolean;
  mkldnn: boolean;
  cpuCapability: string;
  attention: string;
  matmulPeak: { what: string; gflops: number };
  results: PeerShapeResult[];
}

export interface PeerPlan { shapes: BenchShapes; ours: { warmup: number; steps: number }; peer: { warmup: number; steps: number } }

/** The threads our run uses: bench/suite.ts's --threads resolved as it resolves it (the suite context has it as text only). */
export function ourThreads(): number {
  const i = process.argv.indexOf('--threads');
  return resolveThreads(i >= 0 ? process.argv[i + 1] : undefined).threads;
}

export function runPeer(python: string, root: string, plan: PeerPlan, threads: number, ctx: SuiteContext): PeerOutput {
  const { name, ...shape } = plan.shapes;
  const args = [join(root, 'bench', 'peer', 'torch_lrc_step.py'), '--shape-json', JSON.stringify({ [name]: shape }),
    '--steps', String(plan.peer.steps), '--warmup', String(plan.peer.warmup), '--threads', String(threads)];
  ctx.log(`peer ${name}: PyTorch, ${plan.peer.warmup} warm-up + ${plan.peer.steps} timed steps, ${threads} threads`);
  const r = spawnSync(python, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60 * 1000, maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`bench/peer/torch_lrc_step.py failed (${r.signal ? `killed by ${r.signal}` : `exit ${r.status}`}${r.error ? `: ${r.error.message}` : ''})`);
  return JSON.parse(r.stdout) as PeerOutput;
}

/** The peer's loss functions against ours on the same small tensors (bench/peer/check-losses.ts, then --check). */
export function checkLosses(python: string, root: string, ctx: SuiteContext): { maxAbsDiff: Record<string, number>; ours: Record<string, unknown>; peer: Record<string, unknown> } {
  const scratch = mkdtempSync(join(tmpdir(), 'lrc-peer-'));
  try {
    const file = join(scratch, 'losses.json');
    const ours = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'peer', 'check-losses.ts'), file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
    if (ours.status !== 0) throw new Error(`bench/peer/check-losses.ts failed: ${ours.stderr}`);
    const peer = spawnSync(python, [join(root, 'bench', 'peer', 'torch_lrc_step.py'), '--check', file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const report = peer.stdout.trim() ? JSON.parse(peer.stdout) : undefined;
    if (peer.status !== 0 || !report?.pass) throw new Error(`the peer's losses differ from ours: ${peer.stdout.trim() || `exit ${peer.status}`}`);
    ctx.log(`peer: losses and perturbation equal ours (largest difference ${Math.max(...Object.values(report.maxAbsDiff as Record<string, number>)).toExponential(1)})`);
    return report;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function runOurs(plan: PeerPlan, ctx: SuiteContext): { warmup: Timing[]; steps: Timing[]; median: Timing } {
  const { d, dispose } = buildDistillation(plan.shapes);
  const batch = syntheticBatch(plan.shapes, 7);
  try {
    ctx.log(`peer ${plan.shapes.name}: ours, ${plan.ours.warmup} warm-up + ${plan.ours.steps} timed steps`);
    const warmup = Array.from({ length: plan.ours.warmup }, (_, s) => timeIt(() => distillationStep(d, batch, { step: s, dropoutSeed: 100 + s })).timing);
    const steps = Array.from({ length: plan.ours.steps }, (_, s) => timeIt(() => distillationStep(d, batch, { step: plan.ours.warmup + s, dropoutSeed: 200 + s })).timing);
    return { warmup, steps, median: medianTiming(steps) };
  } finally {
    disposeBatch(batch);
    dispose();
  }
}

export const peerSuite: Suite = {
  name: 'peer',
  title: 'Our LRC step against PyTorch (the peer)',
  needsBackend: true,
  async run(ctx) {
    const venv = peerVenv();
    if (!venv.ready) {
      return {
        tables: [], notes: [], data: { venv: venv.dir },
        skipped: `no PyTorch venv at ${venv.dir}: create it with \`bash bench/peer/setup.sh\` (torch and transformers from PyPI, pinned in bench/peer/requirements.txt; about 5.6 GiB, a few minutes), then run \`npm run bench -- --suite peer\``,
      };
    }
    const threads = ourThreads();
    const lossCheck = checkLosses(venv.python, ctx.root, ctx);
    const plans: PeerPlan[] = [
      { shapes: DEMO_SHAPES, ours: { warmup: 2, steps: ctx.quick ? 5 : 20 }, peer: { warmup: 5, steps: ctx.quick ? 5 : 20 } },
      { shapes: PAPER_SHAPES, ours: { warmup: 1, steps: ctx.quick ? 1 : 3 }, peer: { warmup: 2, steps: ctx.quick ? 2 : 5 } },
    ];
    const reference = new MatMulReference();
    reference.sample(5);
    const rows: { plan: PeerPlan; ours: ReturnType<typeof runOurs>; peer: PeerShapeResult; flops: number }[] = [];
    let peerInfo: Omit<PeerOutput, 'results'> | undefined;
    const peerPeaks: number[] = [];
    for (const plan of plans) {
      const ours = runOurs(plan, ctx);
      reference.sample(3);
      const out = runPeer(venv.python, ctx.root, plan, threads, ctx);
      const { results, ...info } = out;
      peerInfo = info;
      peerPeaks.push(info.matmulPeak.gflops);
      rows.push({ plan, ours, peer: results[0], flops: lrcStepFlops(plan.shapes.teacher, plan.shapes.student, plan.shapes).total });
    }
    const ref = reference.summary();
    reference.dispose();
    const torchPeak = Math.max(...peerPeaks);

    const table: Table = {
      title: 'The LRC step (teacher forward, clean pass with dL/dE, perturbed pass with backward, clip, AdamW): ours and PyTorch\'s',
      columns: ['shapes', 'teacher', 'student', 'B x L', 'ours s (wall)', 'ours s (CPU)', 'PyTorch s (wall)', 'PyTorch s (CPU)', 'ours / PyTorch (wall)', 'ours / PyTorch (CPU)', 'best steps: ours / PyTorch s (wall)', 'GFLOP/step', 'ours GFLOP/s', 'PyTorch GFLOP/s', 'target <= 1.0'],
      rows: rows.map(({ plan, ours, peer, flops }) => {
        const wall = ours.median.wallMs / peer.median.wallMs;
        const cpu = ours.median.cpuMs / peer.median.cpuMs;
        const digits = (ms: number) => (ms > 10000 ? 1 : 3);
        const best = (t: Timing[]) => Math.min(...t.map((x) => x.wallMs));
        return [
          plan.shapes.name, describeShape(plan.shapes.teacher), describeShape(plan.shapes.student), `${plan.shapes.batch} x ${plan.shapes.seq}`,
          fmt.n(ours.median.wallMs / 1000, digits(ours.median.wallMs)), fmt.n(ours.median.cpuMs / 1000, digits(ours.median.cpuMs)),
          fmt.n(peer.median.wallMs / 1000, digits(peer.median.wallMs)), fmt.n(peer.median.cpuMs / 1000, digits(peer.median.cpuMs)),
          fmt.x(wall, 2), fmt.x(cpu, 2), `${fmt.n(best(ours.steps) / 1000, digits(best(ours.steps)))} / ${fmt.n(best(peer.steps) / 1000, digits(best(peer.steps)))} = ${fmt.x(best(ours.steps) / best(peer.steps), 2)}`, fmt.g(flops), fmt.n(flops / ours.median.wallMs / 1e6), fmt.n(flops / peer.median.wallMs / 1e6),
          wall <= 1 ? 'met' : 'not met',
        ];
      }),
      note: `Medians: ours of ${rows.map((r) => `${r.plan.ours.steps} (${r.plan.shapes.name})`).join(' and ')} steps after ${rows.map((r) => r.plan.ours.warmup).join(' / ')} warm-up steps; PyTorch of ${rows.map((r) => `${r.plan.peer.steps} (${r.plan.shapes.name})`).join(' and ')} after ${rows.map((r) => r.plan.peer.warmup).join(' / ')}. Ours on ${ctx.threads} threads; PyTorch with torch.set_num_threads(${threads}). CPU time: each process's own (all its threads). The ratio is of the medians; the fastest step of each side is shown beside it, the better guess at a quiet machine when others shared the cores.`,
    };
    const peaks: Table = {
      title: 'Matrix-multiply peaks in the same run (1024 x 1024 x 1024 float32)',
      columns: ['', 'GFLOP/s (best)', 'our step at the paper\'s shapes, share of it', 'PyTorch\'s step at the paper\'s shapes, share of it'],
      rows: [
        [ref.what, fmt.n(ref.peakGflops), fmt.pct(rows[1].flops / rows[1].ours.median.wallMs / 1e6 / ref.peakGflops), fmt.pct(rows[1].flops / rows[1].peer.median.wallMs / 1e6 / ref.peakGflops)],
        [`${peerInfo!.matmulPeak.what} (torch.set_num_threads(${threads}))`, fmt.n(torchPeak), fmt.pct(rows[1].flops / rows[1].ours.median.wallMs / 1e6 / torchPeak), fmt.pct(rows[1].flops / rows[1].peer.median.wallMs / 1e6 / torchPeak)],
      ],
    };
    const i = peerInfo!;
    return {
      tables: [table, peaks],
      notes: [
        `PyTorch ${i.torch} (MKL ${i.mkl ? 'on' : 'off'}, oneDNN ${i.mkldnn ? 'on' : 'off'}, CPU capability ${i.cpuCapability}), transformers ${i.transformers} (attention '${i.attention}'), Python ${i.python}, ${i.threads} threads; venv ${venv.dir} (bench/peer/setup.sh).`,
        'The same step on both sides: stage 2 (alpha:beta:gamma 1:1:3, T 1.1), perturbation epsilon 1, COS-NCE with \'flatten\' vectors, K = B - 1 negatives and uniform layer mapping, clip 1.0, AdamW; random token ids, no padding. PyTorch\'s dropout masks come from its own generator (ours from a seeded JS generator): the same rate, not the same masks.',
        `The peer's loss functions checked against ours first (bench/peer/check-losses.ts: L_total, L_mid per layer, L_soft, L_hard and the perturbation delta on small random tensors with padding): largest difference ${Math.max(...Object.values(lossCheck.maxAbsDiff)).toExponential(1)} (float32 rounding).`,
        `CPU share of wall: ours ${rows.map((r) => `${r.plan.shapes.name} ${fmt.pct(cpuShare(r.ours.median))}`).join(', ')}; PyTorch ${rows.map((r) => `${r.plan.shapes.name} ${fmt.pct(cpuShare(r.peer.median))}`).join(', ')} (about ${threads * 100}% when each thread had a core).`,
        `PyTorch's losses (clean / perturbed L_total, first and last timed step): ${rows.map((r) => `${r.plan.shapes.name} ${fmt.n(r.peer.losses.first.clean, 3)} / ${fmt.n(r.peer.losses.first.perturbed, 3)}, ${fmt.n(r.peer.losses.last.clean, 3)} / ${fmt.n(r.peer.losses.last.perturbed, 3)}`).join('; ')}.`,
      ],
      data: { threads, ourThreads: ctx.threads, lossCheck, reference: ref, peer: i, torchPeakGflops: torchPeak, results: rows.map((r) => ({ shapes: r.plan.shapes, flops: r.flops, ours: r.ours, peer: r.peer })) },
    };
  },
};
