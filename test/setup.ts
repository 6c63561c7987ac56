/** Runs in every test file (vitest setupFiles): whatever the file's temp folders were, they go. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/temp.js';

afterAll(removeTempDirs);
