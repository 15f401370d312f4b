import { useId, useMemo, useState } from 'react';
import type { KeyboardEvent, Ref } from 'react';
import { AssetClass } from '@ticker/protocol';
import { useDashboardStore } from '../dashboard-context';
import { searchSymbols } from '../store/symbol-selectors';
import type { AssetFilter } from '../store/symbol-selectors';
import { SegmentedControl } from './SegmentedControl';

const FILTERS: readonly AssetFilter[] = ['all', 'stocks', 'crypto'];
const FILTER_LABELS = { all: 'All', stocks: 'Stocks', crypto: 'Crypto' } as const;

interface SymbolSearchProps {
  /** The search field, for the page's `/` shortcut. */
  readonly inputRef?: Ref<HTMLInputElement>;
}

/**
 * Finds directory symbols by ticker or name and adds them to the watchlist: type, move with the
 * arrow keys, Enter adds (an ARIA combobox with a listbox of results), Escape closes the list,
 * and a second Escape clears the field.
 */
export function SymbolSearch({ inputRef }: SymbolSearchProps) {
  const directory = useDashboardStore((s) => s.directory);
  const watchlist = useDashboardStore((s) => s.watchlist);
  const addSymbol = useDashboardStore((s) => s.addSymbol);
  const focus = useDashboardStore((s) => s.focus);
  const [query, setQuery] = useState('');
  const [filter, setFilter] = useState<AssetFilter>('all');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const listId = useId();
  const results = useMemo(
    () => searchSymbols(directory, watchlist, query, filter),
    [directory, watchlist, query, filter],
  );
  const loading = directory.length === 0;
  const activeIndex = Math.min(active, results.length - 1);
  const optionId = (index: number) => `${listId}-option-${index}`;

  const add = (ticker: string) => {
    if (addSymbol(ticker)) focus(ticker);
    setQuery('');
    setActive(0);
  };

  const handleKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive(Math.min(activeIndex + 1, results.length - 1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive(Math.max(activeIndex - 1, 0));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = results[activeIndex];
      if (open && chosen) add(chosen.ticker);
    } else if (event.key === 'Escape') {
      // As the APG's combobox: Escape closes the list, then clears the field. The browser's own
      // clearing of a search field would reopen the list through onChange.
      event.preventDefault();
      if (open) {
        setOpen(false);
      } else {
        setQuery('');
        setActive(0);
      }
    }
  };

  return (
    <div className="symbol-search">
      <input
        ref={inputRef}
        type="search"
        role="combobox"
        aria-label="Search symbols"
        aria-expanded={open && results.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && results.length > 0 ? optionId(activeIndex) : undefined}
        placeholder={loading ? 'Loading symbols…' : 'Search ticker or name'}
        disabled={loading}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => {
          setOpen(true);
        }}
        onBlur={() => {
          setOpen(false);
        }}
        onKeyDown={handleKeyDown}
      />
      <SegmentedControl
        label="Asset class"
        options={FILTERS}
        value={filter}
        onChange={(next) => {
          setFilter(next);
          setActive(0);
        }}
        optionLabel={(option) => FILTER_LABELS[option]}
      />
      {open && (
        <ul id={listId} role="listbox" aria-label="Symbols" className="search-results">
          {results.length === 0 && (
            <li className="search-empty" aria-live="polite">
              {query === ''
                ? 'Every symbol is already on the watchlist'
                : `No symbol matches “${query}”`}
            </li>
          )}
          {results.map((symbol, index) => (
            <li
              key={symbol.ticker}
              id={optionId(index)}
              role="option"
              aria-selected={index === activeIndex}
              // mousedown, not click: it lands before the input's blur closes the list.
              onMouseDown={(event) => {
                event.preventDefault();
                add(symbol.ticker);
              }}
            >
              <span className="result-ticker">{symbol.ticker}</span>
              <span className="result-name">{symbol.name}</span>
              <span className="result-class">
                {symbol.assetClass === AssetClass.Crypto ? 'Crypto' : 'Stock'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
