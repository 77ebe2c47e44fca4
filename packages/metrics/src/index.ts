export { type Summary, summarize } from './summarize.js';
