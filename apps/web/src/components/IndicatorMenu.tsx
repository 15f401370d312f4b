import { useState } from 'react';
import { useDashboardStore } from '../dashboard-context';
import {
  INDICATOR_LIMITS,
  SUGGESTED_INDICATORS,
  checkIndicatorSpec,
  createIndicator,
  formatIndicator,
} from '../indicators';
import type { IndicatorSpec } from '../indicators';
import { RemovableList } from './RemovableList';

type PeriodKind = 'sma' | 'ema' | 'vma' | 'bb';
const KIND_LABELS: Readonly<Record<PeriodKind, string>> = {
  sma: 'SMA',
  ema: 'EMA',
  bb: 'Bollinger Bands',
  vma: 'Volume MA',
};

/**
 * The chart's indicators: the usual ones to tick, any period of each kind to add, and what is on
 * the chart to remove. A disclosure (`<details>`) so it works by keyboard with no script of its
 * own, and closes like every other menu.
 */
export function IndicatorMenu() {
  const indicators = useDashboardStore((s) => s.indicators);
  const setIndicators = useDashboardStore((s) => s.setIndicators);
  const [kind, setKind] = useState<PeriodKind>('sma');
  const [period, setPeriod] = useState('20');
  const [problem, setProblem] = useState<string | null>(null);
  const keys = indicators.map(formatIndicator);
  const full = indicators.length >= INDICATOR_LIMITS.maxIndicators;

  const add = (spec: IndicatorSpec) => {
    const reason = checkIndicatorSpec(spec);
    if (reason !== undefined) {
      setProblem(reason);
      return;
    }
    setProblem(null);
    if (!keys.includes(formatIndicator(spec)) && !full) setIndicators([...indicators, spec]);
  };
  const remove = (key: string) => {
    setIndicators(indicators.filter((spec) => formatIndicator(spec) !== key));
  };

  return (
    <details className="indicator-menu">
      <summary>Indicators{indicators.length > 0 ? ` (${indicators.length})` : ''}</summary>
      <div className="indicator-panel" role="group" aria-label="Indicators">
        <fieldset>
          <legend>Common</legend>
          {SUGGESTED_INDICATORS.map((spec) => {
            const key = formatIndicator(spec);
            const on = keys.includes(key);
            return (
              <label key={key}>
                <input
                  type="checkbox"
                  checked={on}
                  disabled={!on && full}
                  onChange={() => {
                    if (on) remove(key);
                    else add(spec);
                  }}
                />
                {createIndicator(spec).label}
              </label>
            );
          })}
        </fieldset>
        <form
          className="indicator-add"
          onSubmit={(event) => {
            event.preventDefault();
            const value = Number(period);
            add(kind === 'bb' ? { kind, period: value, width: 2 } : { kind, period: value });
          }}
        >
          <select
            aria-label="Indicator"
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as PeriodKind);
            }}
          >
            {(Object.keys(KIND_LABELS) as PeriodKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
          <input
            aria-label="Period"
            type="number"
            value={period}
            onChange={(event) => {
              setPeriod(event.target.value);
            }}
          />
          <button type="submit" disabled={full}>
            Add
          </button>
        </form>
        {problem !== null && (
          <p className="indicator-problem" role="alert">
            {problem}
          </p>
        )}
        <RemovableList
          label="On the chart"
          items={indicators.map((spec) => ({
            key: formatIndicator(spec),
            label: createIndicator(spec).label,
          }))}
          removeLabel={(item) => `Remove ${item.label}`}
          onRemove={remove}
        />
      </div>
    </details>
  );
}
