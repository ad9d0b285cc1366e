// Prints docs/errors.md from the rows of the catalogue test (catalogue.ts):
//   node --import tsx test/unit/errors/printCatalogue.ts > docs/errors.md
// catalogue.unit.test.ts checks that the file is what this prints.
import { AREAS, CATALOGUE } from './catalogue';

/** A table cell: pipes escaped, a message fragment as code. */
const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (text: string) => {
  const ticks = text.includes('`') ? '``' : '`';
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${cell(text)}${pad}${ticks}`;
};

export function catalogueMarkdown(): string {
  const counts = AREAS.map(({ area, title }) => `${title.toLowerCase()} ${CATALOGUE.filter((r) => r.area === area).length}`).join(', ');
  const out = [
    '# Error messages',
    '',
    '<!-- Printed by `node --import tsx test/unit/errors/printCatalogue.ts > docs/errors.md` from the rows of',
    '     test/unit/errors/catalogue.ts; test/unit/errors/catalogue.unit.test.ts runs every row and checks this file. -->',
    '',
    'A bad input, wherever it is (a flag, a run config, a data file, a tokenizer or model folder, a run folder,',
    'a control request, a sweep file), gives one line on stderr and exit code 2:',
    '',
    '    lrc-distill: <file>:<line>: <field>: expected <what was expected>, found <what was found>; <what to do>',
    '',
    'with the parts that apply (trainer/errors.ts). There is no stack trace unless `--debug` is given or',
    '`LRC_DEBUG=1` is set. A run that fails on its input (its data, tokenizer or teacher) says the same line in',
    'its run.json (`status: "failed"`, `error.message`) and in the last record of its metrics.jsonl, and the',
    'extension shows it in a notification whose **Open File** opens the file at the line. Exit code 1 is a run',
    'that failed otherwise (an internal error, with `--debug` for its stack), 130 an interrupted run.',
    '',
    `For every case below the test hashes the row's folder before and after: nothing is changed but the failed`,
    `run's own folder (marked *failed run*). ${CATALOGUE.length} cases: ${counts}.`,
  ];
  for (const { area, title, about } of AREAS) {
    const rows = CATALOGUE.filter((r) => r.area === area);
    out.push('', `## ${title}`, '', `${about[0].toUpperCase()}${about.slice(1)}.`, '', '| case | bad input | message (fragment) | exit |', '| --- | --- | --- | --- |');
    for (const r of rows) {
      const what = r.changes === 'failed run' ? ' (*failed run*)' : r.exit === 0 ? ' (accepted; the message is on stdout)' : '';
      out.push(`| ${cell(r.case)} | ${cell(r.input)} | ${code(r.fragment)}${what} | ${r.exit} |`);
    }
  }
  return out.join('\n') + '\n';
}

// exits once written: catalogue.ts's fixtures import node:test, whose report would follow the table at exit
if (require.main === module) process.stdout.write(catalogueMarkdown(), () => process.exit(0));
