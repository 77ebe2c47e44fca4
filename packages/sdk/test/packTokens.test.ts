import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packTokens } from '../src/facade/packTokens.js';

test('completions are packed flat at their offsets; what a completion lacks within its length is NaN', () => {
  const packed = packTokens(
    [
      {
        text: 'a',
        tokens: [1, 2, 3],
        logprobs: [-0.5, -1],
        refLogprobs: Float64Array.from([-1, -2, -3, -4]),
      },
      { text: 'b', tokens: Int32Array.from([7]), logprobs: Float32Array.from([-0.25]), refLogprobs: [-2] },
      { text: 'c (not chosen)', tokens: [9, 9] },
      { text: 'd', tokens: [4, 5], logprobs: [-3, -4], refLogprobs: [-5] },
    ],
    Int32Array.from([0, 1, 3]),
  );
  assert.ok(packed);
  assert.deepEqual([...packed.offsets], [0, 3, 4, 6]);
  assert.deepEqual([...packed.tokens!], [1, 2, 3, 7, 4, 5]);
  assert.deepEqual([...packed.logprobs!], [-0.5, -1, Number.NaN, -0.25, -3, -4]);
  // Longer than the completion: cut at its length.
  assert.deepEqual([...packed.refLogprobs!], [-1, -2, -3, -2, -5, Number.NaN]);
  assert.equal(packed.distributions, undefined);
});

test('per-token entropies are packed like logprobs; a completion without tokens is as long as its entropies', () => {
  const packed = packTokens(
    [
      { text: 'a', tokens: [1, 2, 3], entropies: [0.5, 1] },
      { text: 'b', entropies: Float32Array.from([0.25, 2]) },
    ],
    Int32Array.from([0, 1]),
  );
  assert.ok(packed);
  assert.deepEqual([...packed.offsets], [0, 3, 5]);
  assert.deepEqual([...packed.entropies!], [0.5, 1, Number.NaN, 0.25, 2]);
  assert.equal(packed.tokens, undefined, 'b has no tokens');
});

test('distributions of one width are packed by rows, short ones padded with NaN, arrays converted to float32', () => {
  const packed = packTokens(
    [
      {
        text: 'a',
        tokens: [1, 2],
        distribution: { data: Float32Array.from([0.5, 0.25, 0.75, 0.125]), width: 2 },
      },
      { text: 'b', tokens: [3, 4], distribution: { data: [0.1, 0.2], width: 2 } },
    ],
    Int32Array.from([0, 1]),
  );
  assert.ok(packed);
  assert.equal(packed.width, 2);
  assert.deepEqual(
    [...packed.distributions!],
    [0.5, 0.25, 0.75, 0.125, Math.fround(0.1), Math.fround(0.2), Number.NaN, Number.NaN],
  );
  // b's second token has no row: one row of padding.
  assert.equal(packed.distributionPaddingRows, 1);
});

test('mixed widths are not packed; no per-token data at all packs nothing', () => {
  const mixed = packTokens(
    [
      { text: 'a', tokens: [1], distribution: { data: [0.5, 0.5], width: 2 } },
      { text: 'b', tokens: [2], distribution: { data: [1, 0, 0], width: 3 } },
    ],
    Int32Array.from([0, 1]),
  );
  assert.equal(mixed?.distributions, undefined);
  assert.deepEqual([...mixed!.tokens!], [1, 2]);
  assert.equal(packTokens([{ text: 'a' }, { text: 'b' }], Int32Array.from([0, 1])), undefined);
});
