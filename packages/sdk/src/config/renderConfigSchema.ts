import { CONFIG_SCHEMA } from './configSchema.js';

/** The JSON Schema file shipped for editors (yaml-language-server, VS Code), as text. */
export function renderConfigSchema(): string {
  return `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`;
}
