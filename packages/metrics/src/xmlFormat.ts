/** Whether one completion follows the `<reasoning>` / `<answer>` format. */
export interface XmlFormat {
  /**
   * The whole completion is `<reasoning>\n…\n</reasoning>\n<answer>\n…\n</answer>` with an optional final
   * newline: Python's `re.fullmatch(r"<reasoning>\n(.*?)\n</reasoning>\n<answer>\n(.*?)\n</answer>\n?", s, re.S)`,
   * the common GRPO `strict_format_reward_func` with `.` matching newlines (multi-line reasoning passes).
   */
  strict: boolean;
  /**
   * `<reasoning>…</reasoning>` then `<answer>…</answer>`, in that order, anywhere in the text (anything
   * before, between and after): `re.search(r"<reasoning>.*?</reasoning>.*?<answer>.*?</answer>", s, re.S)`.
   */
  lenient: boolean;
}

const OPEN = '<reasoning>\n';
const MIDDLE = '\n</reasoning>\n<answer>\n';
const CLOSE = '\n</answer>';

/**
 * Checks a completion against the strict and lenient `<reasoning>`/`<answer>` formats (see
 * {@link XmlFormat}). Linear time, with `indexOf` scans rather than a backtracking regex, so a huge or
 * adversarial completion costs O(length). Tags are case-sensitive; whitespace around the strict form is
 * not allowed (the strict form is what strict format rewards pay for).
 */
export function xmlFormat(text: string): XmlFormat {
  if (typeof text !== 'string') return { strict: false, lenient: false };
  // strict: OPEN g1 MIDDLE g2 CLOSE '\n'?  (g1, g2 any text, possibly empty). The earliest MIDDLE after
  // OPEN leaves the most room for the rest, so a match exists iff that one fits before the close.
  let strict = false;
  if (text.startsWith(OPEN)) {
    const end = text.endsWith(`${CLOSE}\n`)
      ? text.length - CLOSE.length - 1
      : text.endsWith(CLOSE)
        ? text.length - CLOSE.length
        : -1;
    if (end >= 0) {
      const m = text.indexOf(MIDDLE, OPEN.length);
      strict = m >= 0 && m + MIDDLE.length <= end;
    }
  }
  let lenient = false;
  const a = text.indexOf('<reasoning>');
  if (a >= 0) {
    const b = text.indexOf('</reasoning>', a + 11);
    if (b >= 0) {
      const c = text.indexOf('<answer>', b + 12);
      if (c >= 0) lenient = text.indexOf('</answer>', c + 8) >= 0;
    }
  }
  return { strict, lenient };
}
