import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { useFeedBridge, useFetchHistory } from '../dashboard-context';
import { ChartHistory } from './chart-history';
import type { Interval } from './intervals';

/**
 * The histories of `tickers` at `interval` for as long as the component shows them: each asks
 * for its latest page at once and folds in the feed's trades; the component re-renders when a
 * page arrives.
 */
export function useChartHistories(
  tickers: readonly string[],
  interval: Interval,
): readonly ChartHistory[] {
  const bridge = useFeedBridge();
  const fetchHistory = useFetchHistory();
  const key = tickers.join(',');
  const histories = useMemo(
    () =>
      key === ''
        ? []
        : key.split(',').map((ticker) => new ChartHistory({ ticker, interval, fetchHistory })),
    [key, interval, fetchHistory],
  );
  useEffect(() => {
    const stops = histories.map((history) => {
      history.start();
      const stopTrades = bridge.watchTrades(history.ticker, history);
      return () => {
        stopTrades();
        history.stop();
      };
    });
    return () => {
      for (const stop of stops) stop();
    };
  }, [bridge, histories]);
  // Stable for as long as the histories are: a new function would resubscribe on every render.
  const subscribe = useCallback(
    (listener: () => void) => {
      const stops = histories.map((history) => history.subscribe(listener));
      return () => {
        for (const stop of stops) stop();
      };
    },
    [histories],
  );
  useSyncExternalStore(subscribe, () =>
    histories.reduce((sum, history) => sum + history.version, 0),
  );
  return histories;
}
