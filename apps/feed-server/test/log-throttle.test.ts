import { describe, expect, it } from 'vitest';
import { LogThrottle, clip } from '../src/log-throttle.js';
import type { Logger } from '../src/logger.js';

/** Records [level, message, fields] for each line. */
function recorder(): { logger: Logger; lines: Array<[string, string, unknown]> } {
  const lines: Array<[string, string, unknown]> = [];
  const at =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push([level, message, fields]);
    };
  return {
    lines,
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
  };
}

describe('LogThrottle', () => {
  it('logs the first five of a kind per window, sums up the rest, and starts again', () => {
    const { logger, lines } = recorder();
    const logs = new LogThrottle(logger, 3_600_000);
    for (let i = 0; i < 12; i++) logs.log('info', 'refused origin', 'refused', { i });
    logs.log('warn', 'memory cap drop', 'dropped', {});
    expect(lines.map(([, , fields]) => fields)).toEqual([
      { i: 0 },
      { i: 1 },
      { i: 2 },
      { i: 3 },
      { i: 4 },
      {},
    ]);
    logs.endWindow();
    expect(lines.slice(6)).toEqual([
      ['info', 'refused (more not logged)', { kind: 'refused origin', notLogged: 7 }],
    ]);
    logs.log('info', 'refused origin', 'refused', { i: 12 });
    expect(lines.at(-1)).toEqual(['info', 'refused', { i: 12 }]);
    logs.stop();
  });
});

describe('clip', () => {
  it('keeps short text and cuts long text to 100 characters, saying how long it was', () => {
    expect(clip('https://example.com')).toBe('https://example.com');
    expect(clip('x'.repeat(100))).toBe('x'.repeat(100));
    expect(clip('y'.repeat(5_000))).toBe(`${'y'.repeat(100)}… (5000 characters)`);
  });
});
