import { useEffect } from 'react';
import { useDashboardStore } from '../dashboard-context';
import { AlertEditor } from './alerts/AlertEditor';
import { AlertNotices } from './alerts/AlertNotices';
import { AlertsPanel } from './alerts/AlertsPanel';
import { useResolvedTheme } from '../lib/theme';
import { ChartArea } from './ChartArea';
import { ChartToolbar } from './ChartToolbar';
import { ConnectionBanner } from './ConnectionBanner';
import { ErrorBanner } from './ErrorBanner';
import { PhoneScreenTabs } from './PhoneScreenTabs';
import { StatusBar } from './StatusBar';
import { SymbolSearch } from './SymbolSearch';
import { ThemeToggle } from './ThemeToggle';
import { Watchlist } from './Watchlist';

/**
 * The dashboard: status bar on top, the watchlist panel (collapsible) on the left, the charts
 * filling the rest of the viewport. On a phone the watchlist and the chart are two screens, a
 * tap apart.
 */
export function App() {
  const theme = useResolvedTheme(useDashboardStore((s) => s.theme));
  const panelOpen = useDashboardStore((s) => s.panelOpen);
  const phoneScreen = useDashboardStore((s) => s.phoneScreen);
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
      <AlertNotices />
      <PhoneScreenTabs />
      <main
        className="app-main"
        data-panel={panelOpen ? 'open' : 'closed'}
        data-phone-screen={phoneScreen}
      >
        <aside id="watchlist-panel" className="side" aria-label="Watchlist and search">
          <SymbolSearch />
          <Watchlist />
          <AlertsPanel />
        </aside>
        <section className="charts" aria-label="Charts">
          <ChartToolbar />
          <ChartArea />
        </section>
      </main>
      <AlertEditor />
    </div>
  );
}
