import { useEffect } from 'react';
import { useDashboardStore } from '../dashboard-context';
import { useResolvedTheme } from '../lib/theme';
import { ChartArea } from './ChartArea';
import { ChartToolbar } from './ChartToolbar';
import { ConnectionBanner } from './ConnectionBanner';
import { ErrorBanner } from './ErrorBanner';
import { StatusBar } from './StatusBar';
import { SymbolSearch } from './SymbolSearch';
import { ThemeToggle } from './ThemeToggle';
import { Watchlist } from './Watchlist';

/** The dashboard: status bar on top, watchlist and search on the left, charts on the right. */
export function App() {
  const theme = useResolvedTheme(useDashboardStore((s) => s.theme));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Ticker</h1>
        <StatusBar />
        <ThemeToggle />
      </header>
      <ConnectionBanner />
      <ErrorBanner />
      <main className="app-main">
        <aside className="side" aria-label="Watchlist and search">
          <SymbolSearch />
          <Watchlist />
        </aside>
        <section className="charts" aria-label="Charts">
          <ChartToolbar />
          <ChartArea />
        </section>
      </main>
    </div>
  );
}
