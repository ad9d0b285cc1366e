// The rule that picks the student to ship from a task's cells (`sweep report --rule`). Grammar:
//   fastest-within:<points>   the fastest cell whose mean score is at most <points> below the teacher's
//                             (points of the metric: 100 x it); none: the best cell, said so. The default, 1.
//   best-under:<ms>ms         the best cell whose mean latency at batch 1 is under <ms> ms (at most);
//                             none: the fastest cell, said so.
//   best                      the best cell (highest mean score).
//   fastest                   the fastest cell (lowest mean latency).
// Only cells with a mean score and a mean latency take part. Ties: the faster, then the better, then the
// first in axis order. Pure.
import { InputError, shown } from '../../errors';
import type { FrontRule } from './frontTypes';

export const DEFAULT_RULE = 'fastest-within:1';
export const RULE_GRAMMAR = "fastest-within:<points> (e.g. fastest-within:1), best-under:<ms>ms (e.g. best-under:5ms), best or fastest";

const NUMBER = '(\\d+(?:\\.\\d+)?|\\.\\d+)';

/** The rule of its text, or a one-line error naming --rule. */
export function parseRule(text: string = DEFAULT_RULE): FrontRule {
  const t = text.trim();
  if (t === 'best' || t === 'fastest') return { text: t, kind: t, points: NaN, ms: NaN };
  let m = new RegExp(`^fastest-within:${NUMBER}$`).exec(t);
  if (m) return { text: t, kind: 'fastest-within', points: Number(m[1]), ms: NaN };
  m = new RegExp(`^best-under:${NUMBER}ms$`).exec(t);
  if (m && Number(m[1]) > 0) return { text: t, kind: 'best-under', points: NaN, ms: Number(m[1]) };
  throw new InputError({ field: '--rule', expected: RULE_GRAMMAR, found: shown(text) });
}

export interface RuleCell {
  /** Mean score, higher is better; NaN unknown. */
  score: number;
  /** Mean latency (ms), lower is better; NaN unknown. */
  latency: number;
  label: string;
}

export interface Recommendation {
  /** Index into the cells; null when no cell has both a score and a latency. */
  index: number | null;
  fallback: boolean;
  reason: string;
}

const faster = (a: RuleCell, b: RuleCell) => a.latency - b.latency || b.score - a.score;
const better = (a: RuleCell, b: RuleCell) => b.score - a.score || a.latency - b.latency;
/** The first index of the best of `indexes` by `order` (a stable pick: the earliest among equals). */
const pick = (cells: readonly RuleCell[], indexes: number[], order: (a: RuleCell, b: RuleCell) => number) =>
  indexes.reduce((best, i) => (order(cells[i], cells[best]) < 0 ? i : best), indexes[0]);

const ms = (v: number) => `${v.toPrecision(3)} ms`;
const pts = (v: number) => `${(100 * v).toFixed(2)}`;

/** The recommended cell by the rule; `teacherScore` NaN without a teacher. */
export function recommend(rule: FrontRule, cells: readonly RuleCell[], teacherScore: number): Recommendation {
  const usable = cells.map((_, i) => i).filter((i) => Number.isFinite(cells[i].score) && Number.isFinite(cells[i].latency));
  if (!usable.length) return { index: null, fallback: false, reason: 'no cell has both a score and a serving latency: nothing to recommend' };
  const best = pick(cells, usable, better);
  const fastest = pick(cells, usable, faster);
  const describe = (i: number) => `${cells[i].label} (${pts(cells[i].score)}, ${ms(cells[i].latency)})`;
  switch (rule.kind) {
    case 'best':
      return { index: best, fallback: false, reason: `the best cell: ${describe(best)}` };
    case 'fastest':
      return { index: fastest, fallback: false, reason: `the fastest cell: ${describe(fastest)}` };
    case 'fastest-within': {
      if (!Number.isFinite(teacherScore)) return { index: best, fallback: true, reason: `no teacher score to be within ${rule.points} point(s) of: the best cell instead, ${describe(best)}` };
      // a tolerance of 1e-9 points so that a score exactly `points` below the teacher's counts despite rounding
      const floor = teacherScore - rule.points / 100 - 1e-11;
      const within = usable.filter((i) => cells[i].score >= floor);
      if (!within.length) return { index: best, fallback: true, reason: `no cell within ${rule.points} point(s) of the teacher (${pts(teacherScore)}): the best cell instead, ${describe(best)}` };
      const i = pick(cells, within, faster);
      return { index: i, fallback: false, reason: `the fastest cell within ${rule.points} point(s) of the teacher (${pts(teacherScore)}): ${describe(i)}` };
    }
    case 'best-under': {
      const under = usable.filter((i) => cells[i].latency <= rule.ms);
      if (!under.length) return { index: fastest, fallback: true, reason: `no cell at or under ${ms(rule.ms)} at batch 1: the fastest cell instead, ${describe(fastest)}` };
      const i = pick(cells, under, better);
      return { index: i, fallback: false, reason: `the best cell at or under ${ms(rule.ms)} at batch 1: ${describe(i)}` };
    }
  }
}
