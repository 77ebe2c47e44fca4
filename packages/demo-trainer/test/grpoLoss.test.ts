import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { grpoLoss, initWasmBackend } from '@grpo-otel/demo-trainer';
import * as tf from '@tensorflow/tfjs';

before(async () => {
  await initWasmBackend();
});

const close = (a: number, b: number, eps = 1e-5) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('on-policy with the reference equal: the loss is -mean(advantage), KL and clipping zero', () => {
  tf.tidy(() => {
    const logp = tf.tensor2d([
      [-1, -2, 0],
      [-0.5, -0.5, -0.5],
    ]);
    const mask = tf.tensor2d([
      [1, 1, 0],
      [1, 1, 1],
    ]);
    const t = grpoLoss({
      logprobs: logp,
      oldLogprobs: logp,
      refLogprobs: logp,
      advantages: tf.tensor1d([1, -3]),
      mask,
      epsilon: 0.2,
      beta: 0.1,
    });
    close(t.loss.dataSync()[0]!, -(1 - 3) / 2);
    close(t.kl.dataSync()[0]!, 0);
    close(t.clipLow.dataSync()[0]!, 0);
    close(t.clipHigh.dataSync()[0]!, 0);
  });
});

test('ratios beyond the clip range stop pulling; k3 KL matches its formula', () => {
  tf.tidy(() => {
    const old = tf.tensor2d([[-1, -1]]);
    const logp = tf.tensor2d([[-1 + Math.log(1.5), -1 + Math.log(0.5)]]);
    const ref = tf.tensor2d([[-1, -1]]);
    const mask = tf.tensor2d([[1, 1]]);
    const terms = (adv: number) =>
      grpoLoss({
        logprobs: logp,
        oldLogprobs: old,
        refLogprobs: ref,
        advantages: tf.tensor1d([adv]),
        mask,
        epsilon: 0.2,
        beta: 0,
      });
    // A > 0: min(1.5A, 1.2A) and min(0.5A, 0.8A) -> -(1.2 + 0.5)/2 A
    close(terms(1).loss.dataSync()[0]!, -(1.2 + 0.5) / 2);
    close(terms(1).clipHigh.dataSync()[0]!, 0.5);
    // A < 0: min(1.5A, 1.2A) = 1.5A, min(0.5A, 0.8A) = 0.8A
    close(terms(-1).loss.dataSync()[0]!, (1.5 + 0.8) / 2);
    close(terms(-1).clipLow.dataSync()[0]!, 0.5);
    const k3 = (d: number) => Math.exp(d) - d - 1;
    close(terms(1).kl.dataSync()[0]!, (k3(-Math.log(1.5)) + k3(-Math.log(0.5))) / 2);
  });
});

test('the gradient raises the log-probability of positive-advantage tokens', () => {
  const x = tf.variable(tf.tensor2d([[-1, -1]]));
  const g = tf.grad(
    (v: tf.Tensor) =>
      grpoLoss({
        logprobs: v as tf.Tensor2D,
        oldLogprobs: tf.tensor2d([[-1, -1]]),
        refLogprobs: tf.tensor2d([[-1, -1]]),
        advantages: tf.tensor1d([2]),
        mask: tf.tensor2d([[1, 1]]),
        epsilon: 0.2,
        beta: 0.04,
      }).loss,
  )(x);
  for (const v of g.dataSync()) close(v, -1); // -A / tokens
  tf.dispose([x, g]);
});
