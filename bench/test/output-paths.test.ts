import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { outputPaths } from '../src/bench.js';

describe('where a run writes', () => {
  it('renders BENCHMARKS.md only from a run of every scenario, else beside its JSON', () => {
    const full = outputPaths(null, '2026-12-01T18-45-04', true);
    const partial = outputPaths(null, '2026-12-01T18-45-04', false);
    expect(full.markdown.endsWith(join('bench', 'BENCHMARKS.md'))).toBe(true);
    expect(partial.json.endsWith(join('results', '2026-12-01T18-45-04.json'))).toBe(true);
    expect(partial.markdown).toBe(partial.json.replace(/\.json$/, '.md'));
  });

  it('writes both into --out, whatever ran', () => {
    expect(outputPaths('/tmp/out', 'stamp', false)).toEqual({
      json: join('/tmp/out', 'stamp.json'),
      markdown: join('/tmp/out', 'BENCHMARKS.md'),
    });
  });
});
