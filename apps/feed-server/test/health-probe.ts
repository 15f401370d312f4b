/*
 * Asks `url` for an answer every `intervalMs`, from a process of its own so that the timings are
 * the server's and not those of a busy test process. It prints `ready` at once, and when its stdin
 * closes, {"slowestMs", "p99Ms", "failures", "probes"}, and exits. Used by the stress tests, through test/helper-process.ts.
 */
const [url = '', interval = '100'] = process.argv.slice(2);
const durationsMs: number[] = []; // ten a second, for a minute or two at most
let failures = 0;
let probes = 0;

const timer = setInterval(() => {
  const started = performance.now();
  probes += 1;
  fetch(url)
    .then(async (response) => {
      await response.text();
      if (response.status !== 200) failures += 1;
      durationsMs.push(performance.now() - started);
    })
    .catch(() => {
      failures += 1;
    });
}, Number(interval));

process.stdout.write('ready\n');
process.stdin.on('end', () => {
  clearInterval(timer);
  durationsMs.sort((a, b) => a - b);
  const slowestMs = durationsMs.at(-1) ?? 0;
  const p99Ms = durationsMs[Math.ceil(durationsMs.length * 0.99) - 1] ?? 0;
  process.stdout.write(`${JSON.stringify({ slowestMs, p99Ms, failures, probes })}\n`);
  process.exit(0);
});
process.stdin.resume();
