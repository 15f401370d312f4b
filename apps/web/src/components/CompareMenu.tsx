import { useId, useState } from 'react';
import { useDashboardStore } from '../dashboard-context';
import { MAX_COMPARE } from '../store/view-options';
import { RemovableList } from './RemovableList';

/**
 * Symbols drawn over the focused chart as percent change from the first candle on screen: any
 * ticker of the directory, up to three, each removable.
 */
export function CompareMenu() {
  const compare = useDashboardStore((s) => s.compare);
  const focused = useDashboardStore((s) => s.focused);
  const directory = useDashboardStore((s) => s.directory);
  const symbolsByTicker = useDashboardStore((s) => s.symbolsByTicker);
  const setCompare = useDashboardStore((s) => s.setCompare);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const listId = useId();
  const full = compare.length >= MAX_COMPARE;

  const add = () => {
    const ticker = text.trim().toUpperCase();
    if (!symbolsByTicker.has(ticker)) {
      setProblem(`No symbol ${ticker === '' ? 'given' : ticker}`);
      return;
    }
    if (ticker === focused) {
      setProblem(`${ticker} is the chart's own symbol`);
      return;
    }
    setProblem(null);
    setText('');
    setCompare([...compare, ticker]);
  };

  return (
    <details className="indicator-menu compare-menu">
      <summary>Compare{compare.length > 0 ? ` (${compare.length})` : ''}</summary>
      <div className="indicator-panel" role="group" aria-label="Compare">
        <form
          className="indicator-add"
          onSubmit={(event) => {
            event.preventDefault();
            add();
          }}
        >
          <input
            aria-label="Symbol to compare"
            list={listId}
            value={text}
            placeholder="e.g. ETH-USD"
            disabled={full}
            onChange={(event) => {
              setText(event.target.value);
            }}
          />
          <datalist id={listId}>
            {directory
              .filter((symbol) => symbol.ticker !== focused && !compare.includes(symbol.ticker))
              .map((symbol) => (
                <option key={symbol.ticker} value={symbol.ticker}>
                  {symbol.name}
                </option>
              ))}
          </datalist>
          <button type="submit" disabled={full}>
            Add
          </button>
        </form>
        {problem !== null && (
          <p className="indicator-problem" role="alert">
            {problem}
          </p>
        )}
        {full && <p className="muted-note">Three at most: remove one to add another.</p>}
        <RemovableList
          label="Compared"
          items={compare.map((ticker) => ({ key: ticker, label: ticker }))}
          removeLabel={(item) => `Stop comparing ${item.label}`}
          onRemove={(ticker) => {
            setCompare(compare.filter((t) => t !== ticker));
          }}
        />
      </div>
    </details>
  );
}
