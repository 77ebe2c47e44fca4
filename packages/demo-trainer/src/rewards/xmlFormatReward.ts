import type { RewardFunction } from './RewardFunction.js';

const STRICT = /^<reasoning>\n[^\n<]+\n<\/reasoning>\n<answer>\n[^\n<]+\n<\/answer>$/;
const TAGS = ['<reasoning>', '</reasoning>', '<answer>', '</answer>'];

/** 0.5 for exactly `<reasoning>\n...\n</reasoning>\n<answer>\n...\n</answer>`; else 0.1 per tag used once. */
export const xmlFormatReward: RewardFunction = {
  name: 'xml_format_reward',
  max: 0.5,
  score(completion: string): number {
    if (STRICT.test(completion)) return 0.5;
    let score = 0;
    for (const tag of TAGS) if (completion.split(tag).length === 2) score += 0.1;
    return score;
  },
};
