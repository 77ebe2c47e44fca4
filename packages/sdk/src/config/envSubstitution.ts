/**
 * `${env:VAR}` and `${env:VAR:-default}` substitution in config values, as the OTel Collector and the
 * OTel configuration file format write it. `$${` is a literal `${`. Any other `${...}` is an error, so a
 * typo such as `${OTLP_TOKEN}` or `${env:}` cannot silently stay in a header.
 */

export type Env = Readonly<Record<string, string | undefined>>;

export class EnvSubstitutionError extends Error {}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Result of substituting one string: the new text, and whether it was exactly one reference. */
export interface Substituted {
  value: string;
  /** True when the whole input was a single `${env:...}`: the caller may then type the value as YAML would. */
  whole: boolean;
  changed: boolean;
}

export function substituteEnv(input: string, env: Env): Substituted {
  if (!input.includes('$')) return { value: input, whole: false, changed: false };
  let out = '';
  let i = 0;
  let refs = 0;
  let literalChars = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === '$' && input[i + 1] === '$' && input[i + 2] === '{') {
      out += '${';
      literalChars += 2;
      i += 3;
      continue;
    }
    if (ch === '$' && input[i + 1] === '{') {
      const end = input.indexOf('}', i + 2);
      if (end < 0)
        throw new EnvSubstitutionError(`unterminated reference '${input.slice(i)}': expected \${env:VAR}`);
      const inner = input.slice(i + 2, end);
      out += resolve(inner, env);
      refs++;
      i = end + 1;
      continue;
    }
    out += ch;
    literalChars++;
    i++;
  }
  return { value: out, whole: refs === 1 && literalChars === 0, changed: true };
}

function resolve(inner: string, env: Env): string {
  const ref = `\${${inner}}`;
  if (!inner.startsWith('env:')) {
    throw new EnvSubstitutionError(
      `bad reference '${ref}': only \${env:VAR} and \${env:VAR:-default} are supported (write $\${ for a literal \${)`,
    );
  }
  const body = inner.slice(4);
  const sep = body.indexOf(':-');
  const name = sep >= 0 ? body.slice(0, sep) : body;
  if (!VAR_NAME.test(name)) {
    throw new EnvSubstitutionError(`bad reference '${ref}': '${name}' is not an environment variable name`);
  }
  const value = env[name];
  if (value !== undefined && (value !== '' || sep < 0)) return value;
  if (sep >= 0) return body.slice(sep + 2);
  throw new EnvSubstitutionError(
    `environment variable ${name} is not set (referenced as ${ref}; write \${env:${name}:-default} for a default)`,
  );
}
