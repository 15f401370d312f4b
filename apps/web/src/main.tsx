import { FeedClient } from '@ticker/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AlertMonitor } from './alerts/alert-monitor';
import { createAlertAnnouncer } from './alerts/alert-announcer';
import { AlertSound } from './alerts/alert-sound';
import { persistAlerts, restoreAlerts } from './alerts/alert-storage';
import { App } from './components/App';
import { DashboardContext } from './dashboard-context';
import type { Dashboard } from './dashboard-context';
import { checkFeedAccess, explainRefusals } from './feed/access-check';
import { keepAccessToken, readAccessToken } from './feed/access-token';
import { FeedBridge } from './feed/feed-bridge';
import { feedUrl } from './feed/feed-url';
import { TokenRenewal } from './feed/token-renewal';
import { createDashboardStore } from './store/dashboard-store';
import { persistView, restoreView } from './store/persistence';
import './styles.css';

/** Storage disabled by policy reads as null: the view then lives in the URL only. */
function storageOrNull(kind: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[kind];
  } catch {
    return null;
  }
}

// The view comes from the link (a shared view) or the saved one, and is kept in both.
const storage = storageOrNull('localStorage');
// Read before the address bar is rewritten to the view's link, which leaves the token out.
const tabStorage = storageOrNull('sessionStorage');
const token = readAccessToken(window.location.search, tabStorage);
const { view, problems } = restoreView(window.location.search, storage);
const savedAlerts = restoreAlerts(storage);
const store = createDashboardStore(view, savedAlerts.alerts);
const startProblems = [...problems, ...savedAlerts.problems];
if (startProblems.length > 0) store.getState().setError(startProblems.join('. '));
persistView(store, storage, (search) => {
  window.history.replaceState(window.history.state, '', search);
});
persistAlerts(store, storage);

// The connection is started here, outside React, so StrictMode's double-mounted effects cannot
// open a second socket and the feed keeps running regardless of what is rendered.
// A token naming a renewal path is kept fresh, and the client presents each fresh one on its
// open connection; any other is offered as it is.
const renewal =
  token === null
    ? null
    : new TokenRenewal({
        token,
        origin: window.location.origin,
        keep: (fresh) => {
          keepAccessToken(fresh, tabStorage);
        },
      });
const client = new FeedClient({
  url: feedUrl(window.location),
  ...(renewal ? { token: renewal.current } : {}),
});
const bridge = new FeedBridge({ client, store });
explainRefusals(
  client,
  store,
  checkFeedAccess(window.location, () => renewal?.current() ?? null),
);
const alertSound = new AlertSound();
const alertMonitor = new AlertMonitor(store, bridge, createAlertAnnouncer(store, alertSound));
renewal?.start();
alertMonitor.start();
bridge.start();

// During development a module reload would otherwise leave the old socket open.
import.meta.hot?.dispose(() => {
  renewal?.stop();
  alertMonitor.stop();
  bridge.stop();
});

const dashboard: Dashboard = {
  store,
  bridge,
  fetchHistory: (request, signal) => client.history(request, { signal }),
  alertSound,
};
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks the #root element');

createRoot(container).render(
  <StrictMode>
    <DashboardContext value={dashboard}>
      <App />
    </DashboardContext>
  </StrictMode>,
);
