/*
 * A well-behaved client (`Watcher`) in a process of its own, so that what it measures is the
 * server and not a busy test process: `bystander.ts <feed url> <symbol ids, comma-separated>`.
 * It prints `ready` once the first symbol has had 20 batches, and when its stdin closes, one
 * JSON line: {"problems", "maxLagMs", "longestSilenceMs" (of the first symbol, since ready)}.
 * Used by the stress tests, through test/helper-process.ts.
 */
import { Watcher, pollUntil } from './hostile-harness.js';

const [url = '', list = '1'] = process.argv.slice(2);
const ids = list.split(',').map(Number);
const first = ids[0] ?? 1;
const watcher = await Watcher.connect(url, ids);
await pollUntil(() => Promise.resolve(watcher.batchesOf(first) >= 20), 'the first batches', 15_000);
const readyAt = Date.now();
// Lag counts from here: the first batches may carry what the market made while it warmed up.
watcher.maxLagMs = 0;
process.stdout.write('ready\n');

process.stdin.on('end', () => {
  const report = {
    problems: watcher.problems,
    maxLagMs: watcher.maxLagMs,
    longestSilenceMs: watcher.longestSilenceMs(first, readyAt, Date.now()),
  };
  void watcher.close().finally(() => {
    process.stdout.write(`${JSON.stringify(report)}\n`);
    process.exit(0);
  });
});
process.stdin.resume();
