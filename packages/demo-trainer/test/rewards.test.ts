import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  antiRepetitionReward,
  correctnessReward,
  DEFAULT_REWARDS,
  type Problem,
  topicRelevanceReward,
  whitelistMatches,
  xmlFormatReward,
} from '@grpo-otel/demo-trainer';

const problem: Problem = {
  id: 'add-3-4-t0',
  question: 'What is 3+4?',
  a: 3,
  b: 4,
  op: '+',
  answer: 7,
  template: 0,
};
const good = '<reasoning>\n3 plus 4 is 7\n</reasoning>\n<answer>\n7\n</answer>';

test('correctness: 1 only for the right integer in <answer>', () => {
  assert.equal(correctnessReward.score(good, problem), 1);
  assert.equal(correctnessReward.score(good.replace('\n7\n</answer>', '\n8\n</answer>'), problem), 0);
  assert.equal(correctnessReward.score('7', problem), 0);
  assert.equal(correctnessReward.score('<answer>\n7 7\n</answer>', problem), 0);
});

test('xml format: 0.5 for the strict layout, 0.1 per tag used once otherwise', () => {
  assert.equal(xmlFormatReward.score(good, problem), 0.5);
  assert.ok(Math.abs(xmlFormatReward.score('<reasoning>\n3\n</reasoning>\n7', problem) - 0.2) < 1e-12);
  assert.equal(xmlFormatReward.score('7', problem), 0);
  assert.ok(Math.abs(xmlFormatReward.score(`${good}\n<answer>`, problem) - 0.3) < 1e-12);
});

test('anti-repetition: 0 without repeated bigrams, negative for loops', () => {
  assert.equal(antiRepetitionReward.score(good, problem), 0);
  const loop = '<reasoning>\n3 + 3 + 3 + 3 + 3\n</reasoning>';
  assert.ok(antiRepetitionReward.score(loop, problem) < -0.2);
});

test('topic relevance: 0.1 when the reasoning uses a whitelist word', () => {
  assert.deepEqual(whitelistMatches(good), ['plus']);
  assert.equal(topicRelevanceReward.score(good, problem), 0.1);
  assert.equal(topicRelevanceReward.score('<reasoning>\ntotal add plus sum\n</reasoning>', problem), 0.1);
  assert.equal(topicRelevanceReward.score('<reasoning>\n3 + 4 = 7\n</reasoning>', problem), 0);
  assert.deepEqual(whitelistMatches('<reasoning>\n3 + 4\n</reasoning><answer>\nplus\n</answer>'), []);
  assert.deepEqual(
    DEFAULT_REWARDS.map((f) => f.name),
    ['correctness_reward', 'xml_format_reward', 'anti_repetition_reward', 'topic_relevance_reward'],
  );
});
