import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demo } from '../src/commands/demo.js';
import {
  DEMO_TRAINER_PACKAGE,
  DemoTrainerMissingError,
  type DemoTrainerModule,
  loadDemoTrainer,
} from '../src/loadDemoTrainer.js';

/** What Node's import throws for a package that is not installed. */
function notFound(what: string, kind: 'package' | 'module' = 'package'): Error {
  const err = new Error(
    `Cannot find ${kind} '${what}' imported from /app/node_modules/@grpo-otel/cli/dist/x.js`,
  );
  (err as NodeJS.ErrnoException).code = 'ERR_MODULE_NOT_FOUND';
  return err;
}

test('the installed demo trainer loads (it is a dev dependency of the workspace)', async () => {
  const m = await loadDemoTrainer();
  assert.equal(typeof m.runDemo, 'function');
});

test('a missing demo trainer says which package to install', async () => {
  await assert.rejects(
    loadDemoTrainer(() => Promise.reject(notFound(DEMO_TRAINER_PACKAGE))),
    (err: unknown) =>
      err instanceof DemoTrainerMissingError &&
      err.missing === DEMO_TRAINER_PACKAGE &&
      err.message.includes(`npm install ${DEMO_TRAINER_PACKAGE}`) &&
      err.message.includes('tfjs'),
  );
  // A package folder without its files (a broken install) is the trainer missing too.
  await assert.rejects(
    loadDemoTrainer(() =>
      Promise.reject(notFound(`/app/node_modules/${DEMO_TRAINER_PACKAGE}/dist/index.js`, 'module')),
    ),
    (err: unknown) => err instanceof DemoTrainerMissingError && err.missing === DEMO_TRAINER_PACKAGE,
  );
});

test('a module the trainer needs (tfjs) missing is named as such', async () => {
  await assert.rejects(
    loadDemoTrainer(() => Promise.reject(notFound('@tensorflow/tfjs'))),
    (err: unknown) =>
      err instanceof DemoTrainerMissingError &&
      err.missing === '@tensorflow/tfjs' &&
      /cannot load @tensorflow\/tfjs/.test(err.message),
  );
});

test('other errors pass through unchanged', async () => {
  const boom = new TypeError('boom');
  await assert.rejects(
    loadDemoTrainer(() => Promise.reject(boom)),
    (err: unknown) => err === boom,
  );
});

test('grpo-otel demo without the trainer: one line saying what to install, exit 1, nothing run', async () => {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (l: string) => out.push(l),
    err: (l: string) => err.push(l),
    cwd: '/nonexistent',
    env: {},
  };
  const missing = () => Promise.reject<DemoTrainerModule>(new DemoTrainerMissingError(DEMO_TRAINER_PACKAGE));
  assert.equal(await demo(['--steps', '2'], io, undefined, missing), 1);
  assert.deepEqual(out, []);
  assert.equal(err.length, 1);
  assert.match(err[0]!, /^grpo-otel demo: the demo needs @grpo-otel\/demo-trainer, which is not installed/);
  // Usage errors and --help do not need the trainer.
  assert.equal(await demo(['--help'], io, undefined, missing), 0);
  assert.equal(await demo(['--steps', '0'], io, undefined, missing), 2);
});
