export { main, VERSION } from './main.js';
