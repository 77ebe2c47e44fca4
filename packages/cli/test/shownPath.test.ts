import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shownPath } from '../src/shownPath.js';

test('paths below the working directory are shown relative to it, others absolute', () => {
  assert.equal(shownPath('/work/repo', '/work/repo/runs/r1/report.html'), 'runs/r1/report.html');
  assert.equal(shownPath('/work/repo', '/work/repo'), '.');
  assert.equal(shownPath('/work/repo', '/tmp/demo/report.html'), '/tmp/demo/report.html');
  assert.equal(shownPath('/work/repo', '/work'), '/work');
  // A name that merely starts with two dots is below the directory.
  assert.equal(shownPath('/work/repo', '/work/repo/..hidden/x'), '..hidden/x');
});
