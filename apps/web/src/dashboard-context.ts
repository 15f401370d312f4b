import { createContext, use } from 'react';
import { useStore } from 'zustand';
import type { AlertSound } from './alerts/alert-sound';
import type { FetchHistory } from './chart/chart-history';
import type { FeedBridge } from './feed/feed-bridge';
import type { DashboardState, DashboardStore } from './store/dashboard-store';

/**
 * The app-wide objects that live outside React: the store, the feed bridge, the history API,
 * and the alerts' chime.
 */
export interface Dashboard {
  readonly store: DashboardStore;
  readonly bridge: FeedBridge;
  readonly fetchHistory: FetchHistory;
  readonly alertSound: AlertSound;
}

/**
 * Provided once at the root. A context rather than module singletons keeps components free of
 * hidden globals, so a later test or a second dashboard can supply its own store and bridge.
 */
export const DashboardContext = createContext<Dashboard | null>(null);

function useDashboard(): Dashboard {
  const dashboard = use(DashboardContext);
  if (!dashboard) throw new Error('DashboardContext is missing: render inside its provider');
  return dashboard;
}

/**
 * Subscribes to one slice of the store. Select one small value per call (a primitive or an
 * object the store keeps stable) so a component re-renders only when that value changes.
 */
export function useDashboardStore<T>(selector: (state: DashboardState) => T): T {
  const { store } = useDashboard();
  return useStore(store, selector);
}

/** The feed bridge, for actions (select, remove) and for reading chart buffers. */
export function useFeedBridge(): FeedBridge {
  return useDashboard().bridge;
}

/** Candles from the history API (docs/API.md), with the page's access token. */
export function useFetchHistory(): FetchHistory {
  return useDashboard().fetchHistory;
}

/** The store itself, for reading state at a moment of your choosing without re-rendering on it. */
export function useDashboardStoreApi(): DashboardStore {
  return useDashboard().store;
}

/** The chime fired alerts play when the sound is on. */
export function useAlertSound(): AlertSound {
  return useDashboard().alertSound;
}
