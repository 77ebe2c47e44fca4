import { REPLACEMENT_CHARACTER } from './StringSanitizer.js';

// Any C0/C1 control character (newlines and tabs included: a name is one field of one line).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The channel name `getLogger(name)` uses: a channel's name is its records' scope name and a field of
 * every text log line, so control characters (a newline would split the line) and lone surrogates
 * become U+FFFD; an empty or non-string name is the root channel, as with Python's
 * `logging.getLogger('')`.
 */
export function channelName(name: unknown): string {
  if (typeof name !== 'string' || name === '') return 'root';
  return name.replace(CONTROL, REPLACEMENT_CHARACTER).replace(LONE_SURROGATE, REPLACEMENT_CHARACTER);
}
