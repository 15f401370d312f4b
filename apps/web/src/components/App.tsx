import { useEffect, useRef, useState } from 'react';
import { useDashboardStore } from '../dashboard-context';
import { AlertEditor } from './alerts/AlertEditor';
import { AlertNotices } from './alerts/AlertNotices';
import { AlertsPanel } from './alerts/AlertsPanel';
import { ChartZoomContext, ChartZoomSlot } from '../keyboard/chart-zoom';
import { useGlobalShortcuts } from '../keyboard/use-global-shortcuts';
import { useResolvedTheme } from '../lib/theme';
import { ChartArea } from './ChartArea';
import { ChartToolbar } from './ChartToolbar';
import { ConnectionBanner } from './ConnectionBanner';
import { ErrorBanner } from './ErrorBanner';
import { PhoneScreenTabs } from './PhoneScreenTabs';
import { ShortcutsDialog } from './ShortcutsDialog';
import { StatusBar } from './StatusBar';
import { SymbolSearch } from './SymbolSearch';
import { ThemeToggle } from './ThemeToggle';
import { Watchlist } from './Watchlist';

/**
 * The dashboard: status bar on top, the watchlist panel (collapsible) on the left, the charts
 * filling the rest of the viewport. On a phone the watchlist and the chart are two screens, a
 * tap apart. The keyboard shortcuts (`keyboard/shortcuts.ts`) work anywhere on it, and `?` or
 * the header's ? button lists them.
 */
export function App() {
  const theme = useResolvedTheme(useDashboardStore((s) => s.theme));
  const panelOpen = useDashboardStore((s) => s.panelOpen);
  const phoneScreen = useDashboardStore((s) => s.phoneScreen);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  const searchInput = useRef<HTMLInputElement | null>(null);
  const shortcutsDialog = useRef<HTMLDialogElement | null>(null);
  const [chartZoom] = useState(() => new ChartZoomSlot());
  const showShortcuts = () => {
    shortcutsDialog.current?.showModal();
  };
  useGlobalShortcuts({ searchInput, chartZoom, showShortcuts });

  return (
    <div className="app">
      <header className="app-header">
        <h1>Ticker</h1>
        <StatusBar />
        <ThemeToggle />
        <button
          type="button"
          className="shortcuts-button"
          aria-haspopup="dialog"
          aria-keyshortcuts="?"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={showShortcuts}
        >
          ?
        </button>
      </header>
      <ShortcutsDialog ref={shortcutsDialog} />
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
          <SymbolSearch inputRef={searchInput} />
          <Watchlist />
          <AlertsPanel />
        </aside>
        <section className="charts" aria-label="Charts">
          <ChartToolbar />
          <ChartZoomContext value={chartZoom}>
            <ChartArea />
          </ChartZoomContext>
        </section>
      </main>
      <AlertEditor />
    </div>
  );
}
