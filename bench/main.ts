// npm run bench [-- --suite training,inference] [--quick] [--backend wasm] [--threads auto|N] [--latest] [--list]
// Runs each chosen suite in its own Node process (bench/suite.ts: its own memory, its own matMul
// reference), then writes bench/results/<time>.json and .md with the machine, backend and versions,
// and the targets of issue 8. A full default run (every suite, not --quick) also writes
// bench/results/latest.json and latest.md, the committed figures; --latest forces that.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join, resolve } from 'node:path';
import { machineInfo, type MachineInfo } from './lib/machine';
import { fmt, markdownSuite, markdownTable, type SuiteResult, type Table } from './lib/report';
import { SUITES } from './suites/index';

const root = resolve(__dirname, '..');
const resultsDir = join(root, 'bench', 'results');

interface Options { suites: string[]; quick: boolean; backend: string; threads: string; latest: boolean; render: string[] }

function usage(): string {
  return [
    'usage: npm run bench -- [--suite <names>] [--quick] [--backend wasm|cpu|tensorflow] [--threads auto|N] [--latest] [--list]',
    `  --suite   comma-separated, repeatable; default: all (${SUITES.map((s) => s.name).join(', ')})`,
    '  --quick   fewer steps and repetitions, demo shapes where the paper shapes take minutes',
    '  --backend the TensorFlow.js backend (default wasm, the one every machine has)',
    '  --threads WASM threads (default auto: every core, as the CLI; 1 for the single-thread figures)',
    '  --render <a.json> [b.json ...]  no run: the report again from result files, a later file\'s suites replacing',
    '            an earlier one\'s (after re-running one suite); with --latest, into latest.*',
    '  --latest  also write bench/results/latest.* (a full default run does)',
  ].join('\n');
}

function parseArgs(argv: string[]): Options {
  const options: Options = { suites: [], quick: false, backend: 'wasm', threads: 'auto', latest: false, render: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') options.quick = true;
    else if (a === '--latest') options.latest = true;
    else if (a === '--suite' || a === '--suites') options.suites.push(...(argv[++i] ?? '').split(',').filter(Boolean));
    else if (a.startsWith('--suite=')) options.suites.push(...a.slice(8).split(',').filter(Boolean));
    else if (a === '--backend') options.backend = argv[++i] ?? '';
    else if (a === '--threads') options.threads = argv[++i] ?? '';
    else if (a === '--render') while (argv[i + 1] && !argv[i + 1].startsWith('--')) options.render.push(argv[++i]);
    else if (a === '--list') {
      for (const s of SUITES) console.log(`${s.name.padEnd(10)} ${s.title}`);
      process.exit(0);
    } else if (a === '--help' || a === '-h') {
      console.log(usage());
      process.exit(0);
    } else throw new Error(`unknown argument '${a}'\n${usage()}`);
  }
  const unknown = options.suites.filter((s) => !SUITES.some((x) => x.name === s));
  if (unknown.length) throw new Error(`unknown suite ${unknown.map((u) => `'${u}'`).join(', ')}: expected ${SUITES.map((s) => s.name).join(', ')}`);
  if (!['wasm', 'cpu', 'tensorflow'].includes(options.backend)) throw new Error(`unknown backend '${options.backend}': expected wasm, cpu or tensorflow`);
  return options;
}

function runSuite(name: string, options: Options, scratch: string): SuiteResult {
  const out = join(scratch, `${name}.json`);
  // --expose-gc: the memory suite collects garbage before each sample, so that it measures what is held.
  const args = ['--expose-gc', '--import', 'tsx', join(root, 'bench', 'suite.ts'), name, out, '--backend', options.backend, '--threads', options.threads, ...(options.quick ? ['--quick'] : [])];
  const t0 = performance.now();
  console.log(`suite ${name}...`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const seconds = (performance.now() - t0) / 1000;
  const title = SUITES.find((s) => s.name === name)!.title;
  if (r.status !== 0 || !existsSync(out)) {
    const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.status}`;
    console.log(`suite ${name} FAILED (${why}) after ${seconds.toFixed(0)} s`);
    return { suite: name, title, seconds, tables: [], notes: [], data: {}, skipped: `the suite failed (${why}); its error is in the console output` };
  }
  const result = JSON.parse(readFileSync(out, 'utf8')) as SuiteResult;
  console.log(`suite ${name}: ${result.skipped ? `skipped: ${result.skipped}` : 'done'} in ${seconds.toFixed(0)} s`);
  return result;
}

/** The issues' targets, from whichever suites ran. */
function targets(results: SuiteResult[], machineCores: number): Table | undefined {
  const rows: (string | number)[][] = [];
  const by = (name: string) => results.find((r) => r.suite === name && !r.skipped)?.data as Record<string, any> | undefined;
  const inference = by('inference');
  if (inference) {
    type Lat = { best: { wallMs: number }; median: { cpuMs: number } };
    for (const row of inference.paper.rows as { batch: number; teacher: Lat; student: Lat; flopRatio: number }[]) {
      const wall = row.teacher.best.wallMs / row.student.best.wallMs;
      const cpu = row.teacher.median.cpuMs / row.student.median.cpuMs;
      rows.push([`student >= 12x faster than the teacher, paper shapes, batch ${row.batch} (FLOP ratio ${fmt.x(row.flopRatio)})`, `${fmt.x(wall)} best wall time, ${fmt.x(cpu)} median CPU time`, Math.min(wall, cpu) >= 12 ? 'met' : Math.max(wall, cpu) >= 12 ? 'met on one clock' : 'not met']);
    }
  }
  const training = by('training');
  if (training) {
    const ref = training.reference as { peakGflops: number; peakCpuGflops: number };
    for (const r of training.results as { shapes: { name: string }; step: { wallMs: number; cpuMs: number }; flops: { total: number }; tensorsAfterEachStep: number[] }[]) {
      const wall = r.flops.total / r.step.wallMs / 1e6 / ref.peakGflops;
      const cpu = r.flops.total / r.step.cpuMs / 1e6 / ref.peakCpuGflops;
      rows.push([`LRC step >= 50% of the matMul peak, ${r.shapes.name} shapes`, `${fmt.pct(wall)} wall, ${fmt.pct(cpu)} CPU time`, Math.min(wall, cpu) >= 0.5 ? 'met' : Math.max(wall, cpu) >= 0.5 ? 'met on one clock' : 'not met']);
    }
  }
  const memory = by('memory');
  if (memory) {
    const samples = memory.samples as { step: number; tensors: number }[];
    const stage1 = samples.filter((s) => s.step >= 10 && s.step <= memory.stage2Start).map((s) => s.tensors);
    const stage2 = samples.filter((s) => s.step > memory.stage2Start).map((s) => s.tensors);
    const range = (v: number[]) => (v.length ? (Math.min(...v) === Math.max(...v) ? `${v[0]}` : `${Math.min(...v)}..${Math.max(...v)}`) : '-');
    rows.push([`flat tensor count over ${memory.steps} demo steps`, `stage 1: ${range(stage1)}, stage 2: ${range(stage2)} live tensors`, memory.tensorsFlat ? 'met' : 'not met']);
    if (memory.cache) {
      // Issue 15: with the teacher cache and the suite's threads. The WASM heap grows to a high-water
      // mark and stays; "flat" allows 16 MiB of growth (medians) after the first epoch filled the cache.
      const growth = (memory.rssGrowthAfterFill as number) / 2 ** 20;
      rows.push([
        `RSS and tensor count flat over ${memory.steps} steps, teacher cache on, ${memory.threads} threads (issue 15)`,
        `tensors ${memory.tensorsFlat ? 'flat' : 'NOT flat'} within each stage; RSS ${growth >= 0 ? '+' : ''}${fmt.n(growth)} MiB from the second epoch (the cache full, ${fmt.n(memory.cache.bytes / 2 ** 20)} MiB) to the last fifth of the ${memory.steps} steps (medians)`,
        memory.tensorsFlat && growth <= 16 ? 'met' : 'not met',
      ]);
    }
  }
  if (training) {
    const all = (training.results as { shapes: { name: string }; tensorsAfterEachStep: number[] }[]);
    const flat = all.every((r) => r.tensorsAfterEachStep.every((n) => n === r.tensorsAfterEachStep[0]));
    rows.push(['flat tensor count over the timed training steps', all.map((r) => `${r.shapes.name}: ${[...new Set(r.tensorsAfterEachStep)].join(', ')}`).join('; '), flat ? 'met' : 'not met']);
  }
  if (training) {
    // Issue 15: the whole machine. The reference is the matMul peak at the suite's thread count: the
    // all-core peak when that is every core.
    const ref = training.reference as { peakGflops: number };
    const threads = String(training.threads ?? '1');
    const allCores = Number.parseInt(threads, 10) >= machineCores;
    const peakText = allCores ? 'all-core matMul peak' : `matMul peak of ${threads} (not every core: run with --threads auto)`;
    for (const r of training.results as { shapes: { name: string }; step: { wallMs: number }; cachedStep?: { wallMs: number }; flops: { total: number } }[]) {
      const want = r.shapes.name === 'paper' ? 0.7 : 0.5;
      const computed = r.flops.total / r.step.wallMs / 1e6 / ref.peakGflops;
      const cached = r.cachedStep ? r.flops.total / r.cachedStep.wallMs / 1e6 / ref.peakGflops : NaN;
      const mean3 = r.cachedStep ? r.flops.total / ((r.step.wallMs + 2 * r.cachedStep.wallMs) / 3) / 1e6 / ref.peakGflops : NaN;
      const verdict = !allCores ? 'not measured on every core' : computed >= want ? 'met' : mean3 >= want ? 'met over a 3-epoch run (teacher cached from epoch 2), not by a step that computes the teacher' : 'not met';
      rows.push([
        `LRC step >= ${fmt.pct(want)} of the all-core matMul peak, ${r.shapes.name} shapes (issue 15)`,
        `${fmt.pct(computed)} teacher computed (${fmt.n(r.step.wallMs / 1000, r.step.wallMs > 10000 ? 1 : 3)} s), ${fmt.pct(cached)} effective with it cached, ${fmt.pct(mean3)} over 3 epochs; of the ${peakText} ${fmt.n(ref.peakGflops)} GFLOP/s`,
        verdict,
      ]);
    }
  }
  if (!rows.length) return undefined;
  return { title: 'Targets of issues 8 and 15', columns: ['target', 'measured', ''], rows };
}

function markdown(machine: MachineInfo, options: Options, results: SuiteResult[], started: Date): string {
  const backend = results.find((r) => r.backend)?.backend;
  const head: Table = {
    title: 'Machine and software',
    columns: ['', ''],
    rows: [
      ['CPU', `${machine.cpu}, ${machine.logicalCores} logical cores`],
      ['memory', `${machine.memoryGiB} GiB`],
      ['OS, Node', `${machine.os}, Node ${machine.node}`],
      ['backend', backend ? `${backend.package} ${backend.version} (${backend.backend}): ${backend.device}` : options.backend],
      ['packages', Object.entries(machine.packages).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['code', machine.commit],
      ['load average (1 min) at start / end', `${machine.loadStart.toFixed(2)} / ${machine.loadEnd?.toFixed(2)} (${machine.logicalCores} cores: above that, other processes competed for the CPU)`],
      ['run', `${started.toISOString()}, ${options.quick ? 'quick' : 'full'}, suites: ${results.map((r) => r.suite).join(', ')}`],
    ],
  };
  const t = targets(results, machine.logicalCores);
  return [
    '# LRC Distill benchmarks',
    '',
    'Written by `npm run bench` (bench/main.ts); what each figure means: docs/benchmarks.md.',
    '',
    markdownTable(head),
    ...(t ? ['', markdownTable(t)] : []),
    '',
    ...results.map((r) => markdownSuite(r) + '\n'),
  ].join('\n');
}

/** --render: the report from saved results, the suites of later files replacing those of earlier ones. */
function render(options: Options): void {
  const runs = options.render.map((f) => JSON.parse(readFileSync(resolve(f), 'utf8')) as { machine: MachineInfo; options: Options; started: string; results: SuiteResult[] });
  const base = runs[0];
  const results = [...base.results];
  for (const later of runs.slice(1)) for (const r of later.results) {
    const i = results.findIndex((x) => x.suite === r.suite);
    if (i >= 0) results[i] = r; else results.push(r);
  }
  const replaced = runs.slice(1).map((r) => `${r.results.map((x) => x.suite).join(', ')} from the run of ${r.started}`);
  const json = { ...base, results, rendered: { from: options.render, replaced } };
  const md = markdown(base.machine, base.options, results, new Date(base.started)) + (replaced.length ? `\nRe-rendered: ${replaced.join('; ')}.\n` : '');
  if (options.latest) {
    writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
    writeFileSync(join(resultsDir, 'latest.md'), md);
  }
  console.log(`${md}${options.latest ? '\nwritten: bench/results/latest.md/.json' : ''}`);
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  if (options.render.length) return render(options);
  const chosen = options.suites.length ? SUITES.filter((s) => options.suites.includes(s.name)).map((s) => s.name) : SUITES.map((s) => s.name);
  const started = new Date();
  const machine = machineInfo(root);
  const scratch = mkdtempSync(join(os.tmpdir(), 'lrc-bench-'));
  const results: SuiteResult[] = [];
  try {
    for (const name of chosen) results.push(runSuite(name, options, scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  machine.loadEnd = os.loadavg()[0];
  const json = { machine, options: { ...options, suites: chosen }, started: started.toISOString(), results };
  const md = markdown(machine, options, results, started);
  mkdirSync(resultsDir, { recursive: true });
  const stamp = started.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const base = join(resultsDir, `${stamp}${options.quick ? '-quick' : ''}`);
  writeFileSync(`${base}.json`, JSON.stringify(json, null, 2) + '\n');
  writeFileSync(`${base}.md`, md);
  const full = !options.quick && chosen.length === SUITES.length;
  if (full || options.latest) {
    writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(json, null, 2) + '\n');
    writeFileSync(join(resultsDir, 'latest.md'), md);
  }
  console.log(`\n${md}\nwritten: ${base}.md/.json${full || options.latest ? ' and bench/results/latest.md/.json' : ''}`);
  if (results.some((r) => r.skipped?.startsWith('the suite failed'))) process.exitCode = 1;
}

main();
