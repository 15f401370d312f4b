import { ChartGrid } from './ChartGrid';
import { ErrorBanner } from './ErrorBanner';
import { StatusIndicator } from './StatusIndicator';
import { SymbolPicker } from './SymbolPicker';

/** The dashboard page: header with connection status, symbol picker, errors and charts. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <h1>Ticker</h1>
        <StatusIndicator />
      </header>
      <main className="app-main">
        <SymbolPicker />
        <ErrorBanner />
        <ChartGrid />
      </main>
    </div>
  );
}
