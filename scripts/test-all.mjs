#!/usr/bin/env node
// `npm test`: type-check, build, then run every test tier and print one closing line
// "N passed, N failed, N skipped". Tiers: unit (plain Node), slurm (a real one-node Slurm cluster,
// installed with apt-get when missing: test/slurm/run.mjs), vscode (a mocha suite inside a real
// VS Code), e2e (Playwright drives the workbench), native (the trainer on TensorFlow's native backend,
// built by `lrc-distill setup-native` when missing: test/native/run.mjs). `node scripts/test-all.mjs unit`
// runs one tier.
// Before the unit tier, the Python references of its cross-checks are installed when missing
// (test/python/provision.mjs: Debian's python3-torch, the pinned transformers virtualenv); a failure
// there is counted as a failure, and under CI those checks then fail instead of skipping.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wanted = process.argv.slice(2);
const tiers = wanted.length ? wanted : ['unit', 'native', 'slurm', 'vscode', 'e2e'];
const totals = { passed: 0, failed: 0, skipped: 0 };
const timings = [];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...opts.env } });
  if (opts.capture) process.stdout.write(r.stdout ?? '');
  return r;
}

function step(name, cmd, args) {
  const t0 = Date.now();
  const r = run(cmd, args);
  timings.push([name, Date.now() - t0]);
  if (r.status !== 0) {
    console.error(`\n${name} failed (exit ${r.status}).`);
    totals.failed += 1;
    finish();
  }
}

function findTests(dir, suffix) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p, suffix));
    else if (name.endsWith(suffix)) out.push(relative(root, p));
  }
  return out.sort();
}

// Reads the counts from a runner's output: node:test's "ℹ pass N", mocha's "N passing", or the plain
// "N passed, N failed" line that our own browser-driving runners print.
function count(output) {
  const grab = (re) => { const m = output.match(re); return m ? Number(m[1]) : 0; };
  const plain = [...output.matchAll(/^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].pop();
  if (plain) return { passed: +plain[1], failed: +plain[2], skipped: +(plain[3] ?? 0) };
  return {
    passed: grab(/ℹ pass (\d+)/) || grab(/(\d+) passing/),
    failed: grab(/ℹ fail (\d+)/) || grab(/(\d+) failing/),
    skipped: grab(/ℹ skipped (\d+)/) + grab(/ℹ todo (\d+)/) + grab(/(\d+) pending/),
  };
}

function tier(name, cmd, args, env) {
  const t0 = Date.now();
  const r = run(cmd, args, { capture: true, env });
  timings.push([name, Date.now() - t0]);
  const c = count(r.stdout ?? '');
  if (r.status !== 0 && c.failed === 0) c.failed = 1; // a runner that died before counting
  for (const k of Object.keys(totals)) totals[k] += c[k];
}

function finish() {
  console.log('\nTimes: ' + timings.map(([n, ms]) => `${n} ${(ms / 1000).toFixed(1)} s`).join(', '));
  console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exit(totals.failed > 0 ? 1 : 0);
}

step('typecheck', 'npm', ['run', '--silent', 'typecheck']);
step('build', 'node', ['esbuild.mjs', '--tests']);
if (tiers.includes('unit')) {
  const t0 = Date.now();
  const provision = run(process.execPath, ['test/python/provision.mjs', 'all']);
  timings.push(['python refs', Date.now() - t0]);
  if (provision.status !== 0) {
    console.error(`\npython refs: installing the Python references failed (exit ${provision.status}): the torch and transformers cross-checks cannot run.`);
    totals.failed += 1;
  }
  const files = findTests(join(root, 'test', 'unit'), '.unit.test.ts');
  tier('unit', process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=1', ...files]);
}
if (tiers.includes('native')) tier('native', process.execPath, ['test/native/run.mjs']);
if (tiers.includes('slurm')) tier('slurm', process.execPath, ['test/slurm/run.mjs']);
if (tiers.includes('vscode')) tier('vscode', process.execPath, ['test/vscode/run.mjs']);
if (tiers.includes('e2e')) tier('e2e', process.execPath, ['test/e2e/run.mjs']);
finish();
