/** The sections of a `<reasoning>`/`<answer>` completion. */
export interface ParsedCompletion {
  /** Text between the first `<reasoning>` and the next `</reasoning>` (undefined if either is missing). */
  reasoning?: string;
  /**
   * Text after the last `<answer>`, up to the next `</answer>` or the end of the text if it is not closed
   * (as the common `extract_xml_answer`: `text.split("<answer>")[-1].split("</answer>")[0]`); undefined
   * without `<answer>`. Not trimmed.
   */
  answer?: string;
}

/** Splits a completion into its reasoning and answer sections (see {@link ParsedCompletion}). */
export function parseCompletion(text: string): ParsedCompletion {
  const out: ParsedCompletion = {};
  if (typeof text !== 'string') return out;
  const a = text.indexOf('<reasoning>');
  if (a >= 0) {
    const b = text.indexOf('</reasoning>', a + 11);
    if (b >= 0) out.reasoning = text.slice(a + 11, b);
  }
  const c = text.lastIndexOf('<answer>');
  if (c >= 0) {
    const d = text.indexOf('</answer>', c + 8);
    out.answer = text.slice(c + 8, d >= 0 ? d : text.length);
  }
  return out;
}
