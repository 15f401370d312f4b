import { useId, useMemo, useState } from 'react';
import type { SubmitEvent } from 'react';
import { useDashboardStore, useFeedBridge } from '../dashboard-context';
import { availableSymbols } from '../store/symbol-selectors';

/** Chooses a directory symbol that is not on screen yet and adds its chart. */
export function SymbolPicker() {
  const directory = useDashboardStore((s) => s.directory);
  const selected = useDashboardStore((s) => s.selected);
  const bridge = useFeedBridge();
  const selectId = useId();
  const available = useMemo(() => availableSymbols(directory, selected), [directory, selected]);
  const [choice, setChoice] = useState('');
  // Derived rather than synced in an effect: once the chosen symbol is added (and leaves the
  // list), the picker falls back to the first one still available.
  const value = available.some((s) => s.ticker === choice) ? choice : (available[0]?.ticker ?? '');
  const loading = directory.length === 0;
  const disabled = loading || available.length === 0;

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    // A form, so Enter in the select adds too; never navigate.
    event.preventDefault();
    if (value !== '') bridge.select(value);
  };

  return (
    <form className="symbol-picker" onSubmit={handleSubmit}>
      <label htmlFor={selectId}>Symbol</label>
      <select
        id={selectId}
        value={value}
        disabled={disabled}
        onChange={(event) => {
          setChoice(event.target.value);
        }}
      >
        {loading && <option value="">Loading symbols…</option>}
        {!loading && available.length === 0 && <option value="">All symbols added</option>}
        {available.map((symbol) => (
          <option key={symbol.ticker} value={symbol.ticker}>
            {`${symbol.ticker} — ${symbol.name}`}
          </option>
        ))}
      </select>
      <button type="submit" disabled={disabled}>
        Add
      </button>
    </form>
  );
}
