#!/bin/bash
# lm train speed, token ids through an embedding (64) vs one-hot inputs, on the bundled text:
# one epoch each (no early stop), the default wasm backend, the two forms alternated.
# Prints CPU seconds (user, sys) and wall seconds of each whole `lm train` run (training, the
# n-gram baselines and the validation scoring), the validation perplexity after that epoch, the
# epoch's training loss, the vocabulary and the number of windows. Run from the repository root
# after `npm run build`; results are in docs/text.md ("Embedding or one-hot").
set -e
out=$(mktemp -d)
for level in word char; do
  [ "$level" = char ] && forms="64 one-hot" || forms="64 one-hot 64 one-hot"
  for form in $forms; do
    /usr/bin/time -f "%U %S %e" -o "$out/time" node dist/cli/main.js lm train --level $level --embedding $form --epochs 1 --patience 0 --quiet --json --out "$out/m.json" > "$out/r.json"
    echo "$level $form cpu user/sys, wall: $(cat "$out/time") $(node -e "const j=JSON.parse(require('fs').readFileSync('$out/r.json','utf8')); console.log('perplexity', j.report.validation.perplexity.toFixed(2), 'loss', j.report.epochs[0].loss.toFixed(3), 'V', j.report.vocabSize, 'windows', j.report.windows)")"
  done
done
rm -rf "$out"
