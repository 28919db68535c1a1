/**
 * The schema of the text classifier's own sections (labels, maxLength, the naive-Bayes table),
 * checked in full and against the network and tokenizer before a file is used (issue 14: duplicate
 * labels, more labels than outputs, maxLength 0, a 1×2 table all loaded and failed later):
 *   labels:     unique non-empty strings, one per network output (at least 2);
 *   maxLength:  an integer from 1 to LIMITS.lookback;
 *   naiveBayes: { prior: K counts ≥ 0, counts: K rows of V counts ≥ 0 } (K labels, V tokens).
 */
import { LIMITS } from '../util/limits.js';
import * as z from 'zod/mini';
import { integer, parseOrRefuse, refuseField } from '../util/schema.js';

const count = z.number().check(z.refine((v) => Number.isFinite(v) && v >= 0, 'expected a finite count ≥ 0'));

const sections = z.looseObject({
  labels: z.array(z.string().check(z.minLength(1), z.maxLength(LIMITS.nameLength))).check(z.minLength(2), z.maxLength(LIMITS.outputSize),
    z.refine((l) => new Set(l).size === l.length, 'expected unique labels')),
  maxLength: integer(1, LIMITS.lookback),
  naiveBayes: z.object({ prior: z.array(count).check(z.maxLength(LIMITS.outputSize)), counts: z.array(z.array(count).check(z.maxLength(LIMITS.vocabulary))).check(z.maxLength(LIMITS.outputSize)) }),
});

/** Validates a classifier file's sections against its network (outputs) and tokenizer (size). */
export function validateClassifierSections(json: unknown, where: string, outputs: number, vocabulary: number): void {
  const { labels, naiveBayes } = parseOrRefuse(sections, json, where);
  const fail = (path: PropertyKey[], what: string): never => refuseField(where, path, what);
  const K = labels.length;
  if (K !== outputs) fail(['labels'], `has ${K} labels, but the network has ${outputs} outputs; expected one label per output`);
  if (naiveBayes.prior.length !== K) fail(['naiveBayes', 'prior'], `has ${naiveBayes.prior.length} entries; expected ${K} (one per label)`);
  if (naiveBayes.counts.length !== K) fail(['naiveBayes', 'counts'], `has ${naiveBayes.counts.length} rows; expected ${K} (one per label)`);
  naiveBayes.counts.forEach((row, k) => {
    if (row.length !== vocabulary) fail(['naiveBayes', 'counts', k], `has ${row.length} entries; expected ${vocabulary} (one per token of the vocabulary)`);
  });
  if (!(naiveBayes.prior.reduce((a, b) => a + b, 0) > 0)) fail(['naiveBayes', 'prior'], 'counts no training texts; expected a positive total');
}
