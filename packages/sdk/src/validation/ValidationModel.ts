/** What the validation runner can call to generate: a function or an object with `generate`. The
 * optional `signal` aborts when the per-sample timeout expires. The result may be the text or an
 * object with `text` (and optionally `tokens`, the completion's token count). */
export type GenerateResult = string | { text: string; tokens?: number };
export type GenerateFn = (
  prompt: string,
  options: { signal: AbortSignal },
) => GenerateResult | Promise<GenerateResult>;
export type ValidationModel = GenerateFn | { generate: GenerateFn };

/** Optional tokenizer, used to count completion tokens (as with a Hugging Face tokenizer's encode). */
export interface ValidationTokenizer {
  encode(text: string): ArrayLike<number>;
}

/**
 * Calls the model once. A synchronous `generate` runs to its end on the calling thread (JavaScript
 * cannot interrupt it): when it took longer than `timeoutMs`, its answer is discarded and the call
 * rejects with a {@link ValidationTimeout}, as an asynchronous one would have been cut.
 */
export function callModel(
  model: ValidationModel,
  prompt: string,
  signal: AbortSignal,
  timeoutMs = Number.POSITIVE_INFINITY,
): Promise<GenerateResult> {
  try {
    const t0 = performance.now();
    const r = typeof model === 'function' ? model(prompt, { signal }) : model.generate(prompt, { signal });
    const thenable =
      r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function';
    if (!thenable && performance.now() - t0 > timeoutMs)
      return Promise.reject(new ValidationTimeout(timeoutMs));
    return Promise.resolve(r);
  } catch (err) {
    return Promise.reject(err);
  }
}

export class ValidationTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'ValidationTimeout';
  }
}

/** Races `p` against a timer; on expiry aborts `controller` and rejects with {@link ValidationTimeout}. */
export function withTimeout<T>(p: Promise<T>, ms: number, controller: AbortController): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort();
      reject(new ValidationTimeout(ms));
    }, ms);
    // Not unref'd: the caller awaits this promise, and a model that never answers must still end in
    // a timeout rather than let the process exit with the validation unsettled.
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
