/** `unroll demo statland`: the StatQuest example, its unrolled arithmetic and predictions. */
import type { Command } from 'commander';
import { statlandInvestment } from '../../demo/statland-invest.js';
import { STATLAND_SCENARIOS, statlandArithmetic, statlandModel, trainStatland } from '../../demo/statland.js';
import { UnrollError, describe } from '../../util/errors.js';
import { LIMITS } from '../../util/limits.js';
import { intFlag, printJson, runCommand, type CommonFlags } from '../run.js';

interface DemoFlags extends CommonFlags {
  train?: boolean;
  invest?: boolean;
  days?: string;
}

export function registerDemo(program: Command): void {
  const demo = program.command('demo').description('worked examples from the teaching documents');
  demo
    .command('statland')
    .description("StatQuest's StatLand RNN: w1 = 1.8, w2 = -0.5 (feedback), w3 = 1.1, biases 0, ReLU")
    .option('--json', 'print the predictions and the arithmetic as JSON')
    .option('--train', 'learn the weights from a random initialisation instead of using the seeds\' weights')
    .option('--days <prices>', 'also run one custom sequence of scaled prices, oldest first, e.g. "0,0.5,1"')
    .option('--invest', "the seeds' question: the blue company (9 days) or the green one (5 days)? one network, both lengths, the pick and its arithmetic")
    .option('--seed <n>', 'seed for --train', intFlag('seed'), 42)
    .option('--verbose', 'show stack traces on errors')
    .addHelpText('after', `
Examples:
  unroll demo statland                 the four scenarios with the seeds' weights
  unroll demo statland --json          the same as JSON
  unroll demo statland --days 0,0.5,1  unroll over three days
  unroll demo statland --train --seed 7
  unroll demo statland --invest        blue (9 days) or green (5 days)?`)
    .action((flags: DemoFlags) => runCommand(flags, () => statland(flags)));
}

/** Scaled prices: decimal numbers (no blanks, no hex), within ±1000 so the arithmetic stays finite. */
function parseDays(text: string): number[] {
  const cells = text.split(',').map((s) => s.trim());
  const bad = (why: string): never => { throw new UnrollError(`option --days ${why}; expected comma-separated scaled prices such as "0,0.5,1"`, 'usage'); };
  if (text.trim() === '') bad('is empty');
  if (cells.length > LIMITS.lookback) bad(`has ${cells.length} values, above the limit of ${LIMITS.lookback}`);
  return cells.map((c, i) => {
    if (c === '') bad(`has an empty value at position ${i + 1}`);
    const v = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(c) ? Number(c) : NaN;
    if (!Number.isFinite(v)) bad(`has ${describe(c)} at position ${i + 1}, which is not a number`);
    if (Math.abs(v) > 1000) bad(`has ${c} at position ${i + 1}, outside -1000 to 1000`);
    return v;
  });
}

function statland(flags: DemoFlags): void {
  const trained = flags.train ? trainStatland({ seed: flags.seed ?? 42 }) : null;
  const model = trained ? trained.model : statlandModel();
  const scenarios = STATLAND_SCENARIOS.map((s) => {
    const { lines, predicted } = statlandArithmetic(model, [s.yesterday, s.today]);
    return { yesterday: s.yesterday, today: s.today, predicted, expected: s.tomorrow, story: s.story, arithmetic: lines };
  });
  if (flags.invest) return statlandInvest(model, flags);
  const custom = flags.days !== undefined ? statlandArithmetic(model, parseDays(flags.days)) : null;
  const weights = model.getWeights();
  const w = {
    w1: weights.weight_ih_l0.data[0], w2: weights.weight_hh_l0.data[0], w3: weights['head.weight'].data[0],
    b1: weights.bias_ih_l0.data[0] + weights.bias_hh_l0.data[0], b2: weights['head.bias'].data[0],
  };
  if (flags.json) {
    printJson({
      weights: w,
      ...(trained ? { training: { loss: trained.loss, restarts: trained.restarts, seed: flags.seed ?? 42 } } : {}),
      predictions: scenarios.map((s) => ({ yesterday: s.yesterday, today: s.today, predicted: round(s.predicted) })),
      arithmetic: scenarios.map((s) => s.arithmetic),
      ...(custom ? { custom: { days: parseDays(flags.days!), predicted: round(custom.predicted), arithmetic: custom.lines } } : {}),
    });
    return;
  }
  const out: string[] = [];
  out.push('StatLand: prices scaled so that low = 0, medium = 0.5, high = 1.');
  out.push(`Weights: w1 = ${fmt(w.w1)}, w2 = ${fmt(w.w2)} (feedback loop), w3 = ${fmt(w.w3)}, b1 = ${fmt(w.b1)}, b2 = ${fmt(w.b2)}, ReLU.`);
  if (trained) out.push(`(learned from a random initialisation, seed ${flags.seed ?? 42}: SSR ${trained.loss.toExponential(2)} after ${trained.restarts} run(s))`);
  out.push('');
  for (const s of scenarios) {
    out.push(`Yesterday = ${s.yesterday}, today = ${s.today}  (${s.story})`);
    for (const line of s.arithmetic) out.push(`  ${line}`);
    out.push('');
  }
  if (custom) {
    out.push(`Your sequence: ${flags.days}`);
    for (const line of custom.lines) out.push(`  ${line}`);
    out.push('');
  }
  out.push('Predictions for tomorrow:');
  out.push('  yesterday  today  predicted  StatLand rule');
  for (const s of scenarios) out.push(`  ${String(s.yesterday).padStart(9)}  ${String(s.today).padStart(5)}  ${fmt(s.predicted).padStart(9)}  ${s.expected}`);
  process.stdout.write(out.join('\n') + '\n');
}

const round = (v: number): number => Math.round(v * 1e12) / 1e12;
const fmt = (v: number): string => String(Math.round(v * 1e4) / 1e4);

function statlandInvest(model: ReturnType<typeof statlandModel>, flags: DemoFlags): void {
  const r = statlandInvestment(model);
  if (flags.json) {
    printJson({ pick: r.pick, why: r.why, companies: r.companies.map((c) => ({ ...c, predicted: round(c.predicted), change: round(c.change) })), batched: r.batched.map(round) });
    return;
  }
  const out: string[] = ["Someone wants to invest some StatBucks: the blue company (9 days of prices) or the green one (5 days)?",
    'Prices are on StatLand\'s scale (low = 0, medium = 0.5, high = 1); the seeds give no price list, so these obey StatLand\'s rules.', ''];
  for (const c of r.companies) {
    out.push(`${c.name} (${c.days} days: the feedback loop is used ${c.days} times)`);
    for (const line of c.arithmetic) out.push(`  ${line}`);
    out.push(`  today ${fmt(c.today)} → predicted ${fmt(c.predicted)} (change ${c.change >= 0 ? '+' : ''}${fmt(c.change)})`, '');
  }
  out.push(`Pick: ${r.pick ?? 'cash'}. ${r.why}`);
  process.stdout.write(out.join('\n') + '\n');
}
