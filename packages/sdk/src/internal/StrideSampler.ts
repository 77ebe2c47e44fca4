/**
 * Keeps exactly the fraction `ratio` of calls, evenly spaced: call n is kept when
 * floor((n + 1) * ratio) > floor(n * ratio). Deterministic, so tests and runs are repeatable.
 */
export class StrideSampler {
  private n = 0;

  constructor(private readonly ratio: number) {}

  keep(): boolean {
    const n = this.n++;
    return Math.floor((n + 1) * this.ratio) > Math.floor(n * this.ratio);
  }
}
