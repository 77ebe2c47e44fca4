import * as tf from '@tensorflow/tfjs';
import type { Random } from './random.js';

/** Sizes of the policy network. */
export interface GruPolicyShape {
  vocabSize: number;
  embeddingSize: number;
  hiddenSize: number;
}

/** Completions sampled for a batch of prompts, with what the policy thought of each token. */
export interface SampledCompletions {
  /** Token ids of each completion, ending with the end token unless cut at `maxTokens`. */
  tokens: number[][];
  /** log pi(token | prefix) of each sampled token, under the sampling distribution. */
  logprobs: number[][];
  /** Entropy (nats) of the sampling distribution at each token. */
  entropies: number[][];
  /** Whether each completion ended with the end token (false: cut at `maxTokens`). */
  finished: boolean[];
}

export interface SampleOptions {
  /** Most tokens per completion. */
  maxTokens: number;
  /** Always take the most likely token (validation); otherwise sample with `random`. */
  greedy?: boolean;
  /** Softmax temperature (default 1). */
  temperature?: number;
  /** Source of randomness for sampling (required unless greedy). */
  random?: Random;
}

/** Prompts and their completions: `groupSize` consecutive completions per prompt. */
export interface TokenBatch {
  prompts: readonly (readonly number[])[];
  /** `prompts.length * groupSize` completions, grouped by prompt. */
  completions: readonly (readonly number[])[];
  /** Completions per prompt (default 1). The prompt is read once and its state shared by its group. */
  groupSize?: number;
}

interface Params {
  embedding: tf.Variable; // [V, D]
  wx: tf.Variable; // [D, 3H]
  bx: tf.Variable; // [3H]
  wh: tf.Variable; // [H, 3H]
  bh: tf.Variable; // [3H]
  wo: tf.Variable; // [H, V]
  bo: tf.Variable; // [V]
}

/** A variable from an initial value; the temporary tensor is freed (tidy keeps variables). */
function variable(init: () => tf.Tensor, trainable: boolean, name: string): tf.Variable {
  return tf.tidy(() => tf.variable(init(), trainable, name));
}

function glorot(shape: [number, number], seed: number, trainable: boolean, name: string): tf.Variable {
  const limit = Math.sqrt(6 / (shape[0] + shape[1]));
  return variable(() => tf.randomUniform(shape, -limit, limit, 'float32', seed), trainable, name);
}

let instances = 0;

/**
 * A tiny autoregressive language model: token embedding (written as one-hot x E, whose gradient the
 * wasm backend supports, unlike gather's), one GRU layer, and a softmax over the vocabulary. The
 * prompt is read token by token (left padding leaves the state untouched), then the completion is
 * generated or scored token by token.
 */
export class GruPolicy {
  private constructor(
    readonly shape: GruPolicyShape,
    private readonly params: Params,
    readonly trainable: boolean,
  ) {}

  /** A freshly initialized policy (same seed, same weights). */
  static create(shape: GruPolicyShape, seed: number): GruPolicy {
    const { vocabSize: V, embeddingSize: D, hiddenSize: H } = shape;
    const id = `policy${instances++}`;
    return new GruPolicy(
      shape,
      {
        embedding: variable(() => tf.randomNormal([V, D], 0, 0.3, 'float32', seed), true, `${id}/embedding`),
        wx: glorot([D, 3 * H], seed + 1, true, `${id}/wx`),
        bx: variable(() => tf.zeros([3 * H]), true, `${id}/bx`),
        wh: glorot([H, 3 * H], seed + 2, true, `${id}/wh`),
        bh: variable(() => tf.zeros([3 * H]), true, `${id}/bh`),
        wo: glorot([H, V], seed + 3, true, `${id}/wo`),
        bo: variable(() => tf.zeros([V]), true, `${id}/bo`),
      },
      true,
    );
  }

  /** The trainable weights. */
  get variables(): tf.Variable[] {
    return Object.values(this.params);
  }

  /** Number of weights. */
  get parameterCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  /** A frozen copy of the current weights (the reference policy of the KL penalty). */
  snapshot(): GruPolicy {
    const id = `reference${instances++}`;
    const copy = (v: tf.Variable, key: string) => variable(() => v.clone(), false, `${id}/${key}`);
    const p = this.params;
    return new GruPolicy(
      this.shape,
      {
        embedding: copy(p.embedding, 'embedding'),
        wx: copy(p.wx, 'wx'),
        bx: copy(p.bx, 'bx'),
        wh: copy(p.wh, 'wh'),
        bh: copy(p.bh, 'bh'),
        wo: copy(p.wo, 'wo'),
        bo: copy(p.bo, 'bo'),
      },
      false,
    );
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }

  /** One GRU step (reset gate after the recurrent matmul, as Keras' default). */
  private cell(xw: tf.Tensor2D, h: tf.Tensor2D): tf.Tensor2D {
    const p = this.params;
    const hw = tf.add(tf.matMul(h, p.wh), p.bh);
    const [xz, xr, xn] = tf.split(xw, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const [hz, hr, hn] = tf.split(hw, 3, 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    const z = tf.sigmoid(tf.add(xz, hz));
    const r = tf.sigmoid(tf.add(xr, hr));
    const n = tf.tanh(tf.add(xn, tf.mul(r, hn)));
    return tf.add(n, tf.mul(z, tf.sub(h, n)));
  }

  /** Input projections x_t E Wx + bx of token ids [B, L] -> [B, L, 3H]. */
  private project(ids: tf.Tensor2D): tf.Tensor3D {
    const p = this.params;
    const [B, L] = ids.shape;
    const oneHot = tf.cast(
      tf.oneHot(tf.reshape(ids, [B * L]), this.shape.vocabSize),
      'float32',
    ) as tf.Tensor2D;
    const xw = tf.add(tf.matMul(tf.matMul(oneHot, p.embedding), p.wx), p.bx);
    return tf.reshape(xw, [B, L, 3 * this.shape.hiddenSize]);
  }

  /** The state after reading left-padded prompts ([B, P] ids, [B, P] 0/1 mask). */
  private readPrompts(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    const [B, P] = ids.shape;
    const xs = tf.unstack(this.project(ids), 1) as tf.Tensor2D[];
    const ms = tf.unstack(tf.reshape(mask, [B, P, 1]), 1) as tf.Tensor2D[];
    let h = tf.zeros([B, this.shape.hiddenSize]) as tf.Tensor2D;
    for (let t = 0; t < P; t++) h = tf.add(h, tf.mul(ms[t]!, tf.sub(this.cell(xs[t]!, h), h)));
    return h;
  }

  private logits(h: tf.Tensor2D, temperature: number): tf.Tensor2D {
    const out = tf.add(tf.matMul(h, this.params.wo), this.params.bo) as tf.Tensor2D;
    return temperature === 1 ? out : tf.div(out, temperature);
  }

  /**
   * log pi(completion token | prompt, previous tokens) for every completion token: [B, C], C the
   * longest completion; entries past a completion's end are meaningless (mask them). Differentiable
   * with respect to the weights; call inside tf.tidy or tf.variableGrads.
   */
  tokenLogProbs(batch: TokenBatch, temperature = 1): tf.Tensor2D {
    const B = batch.completions.length;
    const nPrompts = batch.prompts.length;
    const G = batch.groupSize ?? 1;
    if (nPrompts * G !== B) {
      throw new RangeError(`tokenLogProbs: ${B} completions for ${nPrompts} prompts in groups of ${G}`);
    }
    const { ids, mask, P } = padPrompts(batch.prompts);
    const C = Math.max(1, ...batch.completions.map((c) => c.length));
    const inputs: number[] = [];
    const targets: number[] = [];
    for (const c of batch.completions) {
      for (let t = 0; t < C; t++) {
        if (t < C - 1) inputs.push(c[t] ?? 0);
        targets.push(c[t] ?? 0);
      }
    }
    const H = this.shape.hiddenSize;
    const V = this.shape.vocabSize;
    let h = this.readPrompts(tf.tensor2d(ids, [nPrompts, P], 'int32'), tf.tensor2d(mask, [nPrompts, P]));
    if (G > 1) {
      // Row b of the batch starts from its prompt's state: a one-hot selection (differentiable).
      const owner = Array.from({ length: B }, (_, b) => Math.floor(b / G));
      h = tf.matMul(oneHotFloat(owner, nPrompts), h);
    }
    const outs: tf.Tensor2D[] = [h];
    if (C > 1) {
      const xs = tf.unstack(this.project(tf.tensor2d(inputs, [B, C - 1], 'int32')), 1) as tf.Tensor2D[];
      for (const x of xs) {
        h = this.cell(x, h);
        outs.push(h);
      }
    }
    const hs = tf.reshape(tf.stack(outs, 1), [B * C, H]) as tf.Tensor2D;
    const logp = tf.logSoftmax(this.logits(hs, temperature));
    const picked = tf.sum(tf.mul(logp, oneHotFloat(targets, V)), 1);
    return tf.reshape(picked, [B, C]);
  }

  /** Generates one completion per prompt, token by token, stopping at the end token or `maxTokens`. */
  sample(prompts: readonly (readonly number[])[], eosId: number, options: SampleOptions): SampledCompletions {
    const B = prompts.length;
    const V = this.shape.vocabSize;
    const temperature = options.temperature ?? 1;
    const random = options.random;
    if (!options.greedy && !random) throw new Error('sample: a random source is required unless greedy');
    const tokens: number[][] = prompts.map(() => []);
    const logprobs: number[][] = prompts.map(() => []);
    const entropies: number[][] = prompts.map(() => []);
    const finished = prompts.map(() => false);
    const { ids, mask, P } = padPrompts(prompts);
    // E Wx + bx for every token: one row per next input.
    const table = tf.tidy(() =>
      tf.add(tf.matMul(this.params.embedding, this.params.wx), this.params.bx),
    ) as tf.Tensor2D;
    let h = tf.tidy(() => this.readPrompts(tf.tensor2d(ids, [B, P], 'int32'), tf.tensor2d(mask, [B, P])));
    try {
      for (let step = 0; step < options.maxTokens; step++) {
        const logp = tf.tidy(() => tf.logSoftmax(this.logits(h, temperature)));
        const values = logp.dataSync() as Float32Array;
        logp.dispose();
        const next = new Array<number>(B).fill(eosId);
        for (let b = 0; b < B; b++) {
          if (finished[b]) continue;
          const row = values.subarray(b * V, (b + 1) * V);
          let choice = 0;
          if (options.greedy) {
            for (let v = 1; v < V; v++) if (row[v]! > row[choice]!) choice = v;
          } else {
            let u = random!();
            for (let v = 1; v < V; v++) if (row[v]! > row[choice]!) choice = v; // if rounding leaves u >= 0
            for (let v = 0; v < V; v++) {
              u -= Math.exp(row[v]!);
              if (u < 0) {
                choice = v;
                break;
              }
            }
          }
          let entropy = 0;
          for (let v = 0; v < V; v++) entropy -= Math.exp(row[v]!) * row[v]!;
          tokens[b]!.push(choice);
          logprobs[b]!.push(row[choice]!);
          entropies[b]!.push(entropy);
          next[b] = choice;
          if (choice === eosId) finished[b] = true;
        }
        if (finished.every(Boolean) || step === options.maxTokens - 1) break;
        const nextH = tf.tidy(() => {
          const x = tf.gather(table, tf.tensor1d(next, 'int32')) as tf.Tensor2D;
          return this.cell(x, h);
        });
        h.dispose();
        h = nextH;
      }
    } finally {
      h.dispose();
      table.dispose();
    }
    return { tokens, logprobs, entropies, finished };
  }
}

/**
 * One-hot rows as float32. (The wasm backend's OneHot kernel returns zeros when asked for float32
 * directly, so the int32 result is cast.)
 */
function oneHotFloat(indices: readonly number[], depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(tf.tensor1d(indices as number[], 'int32'), depth), 'float32') as tf.Tensor2D;
}

function padPrompts(prompts: readonly (readonly number[])[]): { ids: number[]; mask: number[]; P: number } {
  const P = Math.max(1, ...prompts.map((p) => p.length));
  const ids: number[] = [];
  const mask: number[] = [];
  for (const p of prompts) {
    for (let t = 0; t < P - p.length; t++) {
      ids.push(0);
      mask.push(0);
    }
    for (const id of p) {
      ids.push(id);
      mask.push(1);
    }
  }
  return { ids, mask, P };
}
