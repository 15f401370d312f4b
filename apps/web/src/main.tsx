import { FeedClient } from '@ticker/client';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './components/App';
import { DashboardContext } from './dashboard-context';
import type { Dashboard } from './dashboard-context';
import { FeedBridge } from './feed/feed-bridge';
import { feedUrl } from './feed/feed-url';
import { createDashboardStore } from './store/dashboard-store';
import './styles.css';

// The connection is started here, outside React, so StrictMode's double-mounted effects cannot
// open a second socket and the feed keeps running regardless of what is rendered.
const store = createDashboardStore();
const client = new FeedClient({ url: feedUrl(window.location) });
const bridge = new FeedBridge({ client, store });
bridge.start();

// During development a module reload would otherwise leave the old socket open.
import.meta.hot?.dispose(() => {
  bridge.stop();
});

const dashboard: Dashboard = { store, bridge };
const container = document.getElementById('root');
if (!container) throw new Error('index.html lacks the #root element');

createRoot(container).render(
  <StrictMode>
    <DashboardContext value={dashboard}>
      <App />
    </DashboardContext>
  </StrictMode>,
);
