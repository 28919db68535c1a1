import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeLossCurve } from './loss-story.js';

test('the loss caption says what this curve shows', () => {
  assert.match(describeLossCurve([1, 0.8, 0.6, 0.5, 0.4]), /fell 60% over 5 epochs and was still falling at the last one/);
  assert.match(describeLossCurve([1, 0.5, 0.4, 0.4, 0.4]), /levelled off by the last of 5 epochs/);
  assert.match(describeLossCurve([1, 1.001, 0.999, 1]), /flat from the start/);
  assert.match(describeLossCurve([1, 0.5, 0.3, 0.2, 0.1], [1, 0.6, 0.7, 0.8, 0.9]), /lowest at epoch 2 and rose 50% after it .*overfitting after epoch 2/);
  assert.match(describeLossCurve([1, 0.5, 0.3], [1, 0.6, 0.5]), /lowest at the last epoch: no sign of overfitting/);
  assert.match(describeLossCurve([1]), /One epoch/);
});
