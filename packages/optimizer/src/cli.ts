/**
 * geocrm-optimize -i problem.json [-o solution.json] [--time-limit S] [--seed N] [--fast]
 * Reads VROOM JSON (stdin without -i), prints VROOM-format JSON.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isAppError } from '@geocrm/domain';
import { solve } from './solve.ts';
import { fromVroom, toVroom } from './vroom.ts';

const usage = 'usage: geocrm-optimize [-i problem.json] [-o solution.json] [--time-limit SECONDS] [--seed N] [--fast]';

const positive = (name: string | undefined, text: string): number => {
  const x = Number(text);
  if (!Number.isFinite(x) || x < 0) throw new Error(`${name ?? 'option'} needs a number ≥ 0, got "${text}"\n${usage}`);
  return x;
};

export const main = (argv: readonly string[]): number => {
  let input: string | undefined;
  let output: string | undefined;
  let timeLimitS: number | undefined;
  let seed: number | undefined;
  let fast = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${usage}`);
      return v;
    };
    if (a === '-i' || a === '--input') input = value();
    else if (a === '-o' || a === '--output') output = value();
    else if (a === '--time-limit' || a === '-t') timeLimitS = positive(a, value());
    else if (a === '--seed') seed = positive(a, value());
    else if (a === '--fast') fast = true;
    else if (a === '-h' || a === '--help') {
      console.log(usage);
      return 0;
    } else throw new Error(`unknown argument ${a}\n${usage}`);
  }
  const text = readFileSync(input ?? 0, 'utf8');
  const problem = fromVroom(JSON.parse(text));
  const solution = solve(problem, { fast, ...(seed === undefined ? {} : { seed }), ...(timeLimitS === undefined ? {} : { timeLimitMs: timeLimitS * 1000 }) });
  const json = JSON.stringify(toVroom(solution));
  if (output === undefined) console.log(json);
  else writeFileSync(output, json + '\n');
  return 0;
};

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (isAppError(e)) console.error(JSON.stringify({ code: 2, error: e.message, details: e.details }));
  else console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = isAppError(e) ? 2 : 1;
}
