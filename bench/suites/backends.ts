// Suite "backends": the LRC step on the native TensorFlow backend, on WASM and in PyTorch, side by side
// in one run (issue 21). For each of the demo's and the paper's shapes, in turns and close in time: our
// step on 'tensorflow' and on 'wasm' (each in a process of its own, bench/lib/stepChild.ts, with the
// run's --threads), then the PyTorch peer (bench/peer/torch_lrc_step.py, suite 'peer'); and the
// machine's float32 GEMM peak measured in the same run by numpy's OpenBLAS (bench/peer/gemm_peak.py)
// with the same thread count. Targets: the paper-shape step on tensorflow at >= 50% of that peak, the
// demo-shape step at >= 20%, and our step / PyTorch's <= 1.0 at both shapes.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { resolveThreads } from '../../trainer/backend/threadsSetting';
import type { BackendReport } from '../../trainer/backend/select';
import { lrcStepFlops } from '../lib/flops';
import type { Timing } from '../lib/measure';
import { fmt, type Table } from '../lib/report';
import { DEMO_SHAPES, PAPER_SHAPES, describeShape, type BenchShapes } from '../lib/shapes';
import type { Suite, SuiteContext } from '../lib/suite';
import { peerVenv, runPeer } from './peer';

type Ours = 'tensorflow' | 'wasm';
const OURS: Ours[] = ['tensorflow', 'wasm'];

interface StepRun {
  report: BackendReport;
  warmup: Timing[];
  steps: Timing[];
  median: Timing;
  tensors: number[];
}

function runStep(backend: Ours, shapes: BenchShapes, plan: { warmup: number; steps: number }, threads: string, ctx: SuiteContext): StepRun | { error: string } {
  ctx.log(`backends ${shapes.name}: ${backend}, ${plan.warmup} warm-up + ${plan.steps} timed steps`);
  const args = JSON.stringify({ backend, threads, shapes: shapes.name, ...plan });
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ctx.root, 'bench', 'lib', 'stepChild.ts'), args], { cwd: ctx.root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 * 2 ** 20 });
  if (r.status !== 0) return { error: (r.stderr.trim().split('\n').find((l) => /Error/.test(l)) ?? `exit ${r.status}`).slice(0, 300) };
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as StepRun;
}

interface Peak {
  gflops: number;
  size: number;
  numpy: string;
  blas: { internal_api?: string; version?: string; architecture?: string; num_threads?: number }[];
  threads: number;
}

/** numpy's float32 GEMM peak with `threads` BLAS threads. OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which
 * this workplace may set for old OpenBLAS builds, are unset for this one command (they hold a current
 * OpenBLAS to an older, slower kernel); the report names the kernel OpenBLAS then picked. */
function gemmPeak(python: string, threads: number, ctx: SuiteContext): Peak {
  const env: NodeJS.ProcessEnv = { ...process.env, OPENBLAS_NUM_THREADS: String(threads) };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const r = spawnSync(python, [join(ctx.root, 'bench', 'peer', 'gemm_peak.py'), '--size', '4096', '--repeats', ctx.quick ? '2' : '5', '--threads', String(threads)], { encoding: 'utf8', env });
  if (r.status !== 0) throw new Error(`bench/peer/gemm_peak.py failed: ${r.stderr.trim().split('\n').pop()}`);
  return JSON.parse(r.stdout) as Peak;
}

const isRun = (x: StepRun | { error: string }): x is StepRun => !('error' in x);

export const backendsSuite: Suite = {
  name: 'backends',
  title: 'The LRC step on native TensorFlow, WASM and PyTorch, and the GEMM peak',
  needsBackend: false,
  async run(ctx) {
    const venv = peerVenv();
    if (!venv.ready) {
      return {
        tables: [], notes: [], data: { venv: venv.dir },
        skipped: `no PyTorch venv at ${venv.dir} (PyTorch and numpy, the peer and the GEMM peak): create it with \`bash bench/peer/setup.sh\`, then \`npm run bench -- --suite backends\``,
      };
    }
    const threads = resolveThreads(process.argv[process.argv.indexOf('--threads') + 1]).threads;
    const plans = [
      { shapes: DEMO_SHAPES, ours: { warmup: 2, steps: ctx.quick ? 5 : 20 }, peer: { warmup: 5, steps: ctx.quick ? 5 : 20 } },
      { shapes: PAPER_SHAPES, ours: { warmup: 1, steps: ctx.quick ? 1 : 3 }, peer: { warmup: 2, steps: ctx.quick ? 2 : 5 } },
    ];
    const peaks: Peak[] = [gemmPeak(venv.python, threads, ctx)];
    const rows = [];
    let torchInfo = '';
    for (const plan of plans) {
      const ours = Object.fromEntries(OURS.map((b) => [b, runStep(b, plan.shapes, plan.ours, String(threads), ctx)])) as Record<Ours, StepRun | { error: string }>;
      const peer = runPeer(venv.python, ctx.root, plan, threads, ctx);
      torchInfo = `PyTorch ${peer.torch} (MKL ${peer.mkl ? 'on' : 'off'}, oneDNN ${peer.mkldnn ? 'on' : 'off'}, ${peer.cpuCapability}), transformers ${peer.transformers}, torch.set_num_threads(${peer.threads})`;
      peaks.push(gemmPeak(venv.python, threads, ctx));
      rows.push({ plan, ours, peer: peer.results[0], flops: lrcStepFlops(plan.shapes.teacher, plan.shapes.student, plan.shapes).total });
    }
    const peak = Math.max(...peaks.map((p) => p.gflops));
    const share = (ms: number, flops: number) => flops / ms / 1e6 / peak;
    const seconds = (r: StepRun | { error: string }) => (isRun(r) ? fmt.n(r.median.wallMs / 1000, r.median.wallMs > 10000 ? 1 : 3) : `failed: ${r.error}`);
    const table: Table = {
      title: `The LRC step, median wall time (s), and its share of the GEMM peak (${fmt.n(peak)} GFLOP/s, numpy/OpenBLAS, ${threads} threads)`,
      columns: ['shapes', 'teacher', 'student', 'B x L', 'tensorflow s', 'wasm s', 'PyTorch s', 'wasm / tensorflow', 'tensorflow / PyTorch', 'wasm / PyTorch', 'tensorflow % of peak', 'wasm % of peak', 'PyTorch % of peak'],
      rows: rows.map(({ plan, ours, peer, flops }) => {
        const tfRun = ours.tensorflow;
        const wasmRun = ours.wasm;
        const tfMs = isRun(tfRun) ? tfRun.median.wallMs : NaN;
        const wasmMs = isRun(wasmRun) ? wasmRun.median.wallMs : NaN;
        return [
          plan.shapes.name, describeShape(plan.shapes.teacher), describeShape(plan.shapes.student), `${plan.shapes.batch} x ${plan.shapes.seq}`,
          seconds(tfRun), seconds(wasmRun), fmt.n(peer.median.wallMs / 1000, peer.median.wallMs > 10000 ? 1 : 3),
          fmt.x(wasmMs / tfMs, 2), fmt.x(tfMs / peer.median.wallMs, 2), fmt.x(wasmMs / peer.median.wallMs, 2),
          fmt.pct(share(tfMs, flops)), fmt.pct(share(wasmMs, flops)), fmt.pct(share(peer.median.wallMs, flops)),
        ];
      }),
      note: `Medians of ${plans.map((p) => `${p.ours.steps} (${p.shapes.name})`).join(' and ')} of our steps after ${plans.map((p) => p.ours.warmup).join(' / ')} warm-up steps, each backend in its own process; PyTorch's of ${plans.map((p) => `${p.peer.steps}`).join(' and ')} after ${plans.map((p) => p.peer.warmup).join(' / ')}. The backends and PyTorch ran in turns, per shape.`,
    };
    const target = (name: string, value: number, goal: number, lower = false): (string | number)[] => [name, lower ? fmt.x(value, 2) : fmt.pct(value), Number.isNaN(value) ? 'not measured' : (lower ? value <= goal : value >= goal) ? 'met' : 'not met'];
    const [demo, paper] = rows;
    const ms = (r: StepRun | { error: string }) => (isRun(r) ? r.median.wallMs : NaN);
    const targets: Table = {
      title: 'Targets of issue 21',
      columns: ['target', 'measured', ''],
      rows: [
        target('paper-shape step on tensorflow >= 50% of the GEMM peak', share(ms(paper.ours.tensorflow), paper.flops), 0.5),
        target('demo-shape step on tensorflow >= 20% of the GEMM peak', share(ms(demo.ours.tensorflow), demo.flops), 0.2),
        target('paper-shape step: tensorflow / PyTorch <= 1.0', ms(paper.ours.tensorflow) / paper.peer.median.wallMs, 1, true),
        target('demo-shape step: tensorflow / PyTorch <= 1.0', ms(demo.ours.tensorflow) / demo.peer.median.wallMs, 1, true),
      ],
    };
    const tfReport = rows.map((r) => r.ours.tensorflow).find(isRun)?.report;
    const wasmReport = rows.map((r) => r.ours.wasm).find(isRun)?.report;
    const p0 = peaks[0];
    return {
      tables: [table, targets],
      notes: [
        `tensorflow: ${tfReport ? `${tfReport.package} ${tfReport.version}, ${tfReport.device}` : 'did not run (lrc-distill setup-native builds it)'}; wasm: ${wasmReport ? wasmReport.device : 'did not run'}.`,
        `${torchInfo}; venv ${venv.dir}.`,
        `GEMM peak: numpy ${p0.numpy} float32 ${p0.size}x${p0.size} matmul, best of ${ctx.quick ? 2 : 5}, measured ${peaks.length} times in the run (${peaks.map((p) => fmt.n(p.gflops)).join(', ')} GFLOP/s; the best is the peak); BLAS ${p0.blas.map((b) => `${b.internal_api} ${b.version} ${b.architecture} ${b.num_threads} threads`).join(', ') || 'not reported (threadpoolctl missing)'}.`,
        `Tensors after each timed step: ${rows.flatMap((r) => OURS.map((b) => { const x = r.ours[b]; return `${r.plan.shapes.name} ${b} ${isRun(x) ? [...new Set(x.tensors)].join('/') : '-'}`; })).join(', ')}.`,
      ],
      data: { threads, peaks, peak, results: rows.map((r) => ({ shapes: r.plan.shapes, flops: r.flops, ours: r.ours, peer: r.peer })) },
    };
  },
};
