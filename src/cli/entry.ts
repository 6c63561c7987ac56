/** The process entry point as an ES module: runs start.ts. */
import { start } from './start.js';

await start();
