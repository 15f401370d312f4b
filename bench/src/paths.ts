// Where the bench package's files are, the same whether this runs compiled (dist/src) or from
// source under vitest (src): the package root, found through module resolution.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const benchDir = dirname(
  createRequire(import.meta.url).resolve('@ticker/bench/package.json'),
);
/** The compiled peers: servers run as plain Node, like the feed server's dist/main.js. */
export const peersDir = join(benchDir, 'dist', 'peers');
