// Dashboard viewers: clients that watch a chart and a list of quotes, beside as many clients that
// chart every symbol they follow; what each costs the server, and what it sends each client.
import { OURS } from './contenders.js';
import { contenderNamed, describe, runOnce } from './run.js';
import type { LoadShape, RunContext, RunRecord } from './run.js';
import type { Skipped, ViewsSupport } from './storm.js';

/** `charts`: every symbol a chart; `viewers`: the plan's viewer (one chart, twenty quotes). */
export type ClientKind = 'charts' | 'viewers';

export type ViewerRecord = RunRecord & { readonly kind: ClientKind };

/** Each tick rate, `repeats` times, the two kinds interleaved so drift hits them alike. */
export async function runViewers(
  context: RunContext,
  views: ViewsSupport,
): Promise<{ records: ViewerRecord[]; skipped: Skipped[] }> {
  const { plan, log } = context;
  if (!views.views) {
    // Without the viewers there is nothing to compare the all-charts clients with.
    log(`viewers: skipped: ${views.why}`);
    return { records: [], skipped: [{ scenario: 'viewers', why: views.why }] };
  }
  const { clients, tickRates, viewer, allCharts } = plan.viewers;
  const shapes: readonly [ClientKind, LoadShape][] = [
    ['charts', allCharts],
    ['viewers', viewer],
  ];
  const contender = contenderNamed(OURS);
  const total = tickRates.length * plan.repeats * shapes.length;
  const records: ViewerRecord[] = [];
  for (const tickRate of tickRates) {
    for (let repeat = 1; repeat <= plan.repeats; repeat++) {
      for (const [kind, shape] of shapes) {
        for (let attempt = 1; ; attempt++) {
          const run = await runOnce(context, contender, clients, tickRate, repeat, attempt, shape);
          const record: ViewerRecord = { ...run, kind };
          const perClient = (perSecond = 0): number => perSecond / clients;
          log(
            `[viewers ${records.length + 1}/${total}] ${kind}: ${describe(run)}, ` +
              `${(perClient(run.bytesPerSecond) / 1024).toFixed(2)} KB/s and ` +
              `${perClient(run.quotesPerSecond).toFixed(1)} quotes/s per client`,
          );
          if (run.verdict !== 'noisy' || attempt >= plan.maxAttempts) {
            records.push(record);
            break;
          }
        }
      }
    }
  }
  return { records, skipped: [] };
}
