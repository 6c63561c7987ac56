/**
 * Preloaded (node --import) when /usr/bin/time cannot report peak memory: writes the process's peak
 * resident set size in KiB (process.resourceUsage().maxRSS) to $BENCH_MAXRSS_FILE at exit.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_MAXRSS_FILE;
if (file) process.on('exit', () => writeFileSync(file, `${process.resourceUsage().maxRSS}\n`));
