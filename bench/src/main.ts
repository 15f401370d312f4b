// npm run bench [-- options]: see USAGE in plan.ts and bench/README.md.
import { rerender, runBench } from './bench.js';
import { USAGE, UsageError, parseCommand } from './plan.js';

async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  if (command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  if (command.reportFrom !== null) {
    console.log(`wrote ${rerender(command.reportFrom, command.outDir)}`);
    return;
  }
  const written = await runBench(command.plan, command.outDir, (line) => {
    console.log(line);
  });
  console.log(`wrote ${written.jsonPath} and ${written.markdownPath}`);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`bench: ${message}\n${error instanceof UsageError ? USAGE : ''}`);
  process.exit(error instanceof UsageError ? 2 : 1);
});
