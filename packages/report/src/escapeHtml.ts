const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
// C0 controls except tab and line breaks, DEL and C1 controls: never meaningful in a report.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * `text` as HTML text or a quoted attribute value that shows literally: `& < > " '` become
 * entities, control characters (other than tab, CR, LF) are removed and lone surrogates become
 * U+FFFD. Model outputs go through this, so a completion cannot inject markup or script.
 */
export function escapeHtml(text: string): string {
  return text
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(CONTROL, '')
    .replace(HTML_SPECIAL, (c) => HTML_ENTITIES[c]!);
}

/**
 * `value` as JSON that is safe inside a `<script type="application/json">` element: `<`, `>`, `&`
 * and the line separators U+2028/U+2029 are written as `\u` escapes, so no string in it can close
 * the element (`</script>`) or open a comment; `JSON.parse` of the element's text gives `value` back.
 * Non-finite numbers become `null` (as JSON.stringify does).
 */
export function jsonForHtmlScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
