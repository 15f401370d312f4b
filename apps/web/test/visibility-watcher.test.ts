import { describe, expect, it } from 'vitest';
import { VisibilityWatcher } from '../src/lib/visibility-watcher';
import type { ObserverFactory } from '../src/lib/visibility-watcher';

type Report = Parameters<Parameters<ObserverFactory>[0]>[0];

/** An IntersectionObserver stand-in: records what it watches and reports when told to. */
function fakeObserver() {
  const observed = new Set<Element>();
  let report: (entries: Report) => void = () => undefined;
  let options: IntersectionObserverInit | null = null;
  let disconnected = false;
  const factory: ObserverFactory = (callback, init) => {
    report = callback;
    options = init;
    return {
      observe: (element) => observed.add(element),
      unobserve: (element) => observed.delete(element),
      disconnect: () => {
        disconnected = true;
        observed.clear();
      },
    };
  };
  return {
    factory,
    observed,
    options: () => options,
    disconnected: () => disconnected,
    report: (entries: Report) => {
      report(entries);
    },
  };
}

const element = (name: string) => ({ name }) as unknown as Element;

describe('VisibilityWatcher', () => {
  it('watches through one observer rooted at the scrolling box, with its margin', () => {
    const fake = fakeObserver();
    const root = element('root');
    new VisibilityWatcher(root, '120px 0px', fake.factory);
    expect(fake.options()).toEqual({ root, rootMargin: '120px 0px' });
  });

  it("tells each element's listener of its own changes only", () => {
    const fake = fakeObserver();
    const watcher = new VisibilityWatcher(element('root'), '0px', fake.factory);
    const a = element('a');
    const b = element('b');
    const seenA: boolean[] = [];
    const seenB: boolean[] = [];
    watcher.watch(a, (visible) => seenA.push(visible));
    watcher.watch(b, (visible) => seenB.push(visible));
    expect([...fake.observed]).toEqual([a, b]);

    fake.report([
      { target: a, isIntersecting: true },
      { target: b, isIntersecting: false },
    ]);
    fake.report([{ target: a, isIntersecting: false }]);
    expect(seenA).toEqual([true, false]);
    expect(seenB).toEqual([false]);
  });

  it('stops reporting an element once unwatched, and everything once stopped', () => {
    const fake = fakeObserver();
    const watcher = new VisibilityWatcher(element('root'), '0px', fake.factory);
    const a = element('a');
    const b = element('b');
    const seen: string[] = [];
    const unwatchA = watcher.watch(a, (visible) => seen.push(`a ${String(visible)}`));
    watcher.watch(b, (visible) => seen.push(`b ${String(visible)}`));
    unwatchA();
    expect([...fake.observed]).toEqual([b]);
    fake.report([
      { target: a, isIntersecting: true },
      { target: b, isIntersecting: true },
    ]);
    watcher.stop();
    fake.report([{ target: b, isIntersecting: false }]);
    expect(seen).toEqual(['b true']);
    expect(fake.disconnected()).toBe(true);
  });
});
