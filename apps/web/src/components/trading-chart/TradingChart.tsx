import { memo, use, useCallback, useEffect, useId, useRef, useState } from 'react';
import { ComposedChart, XAxis, YAxis } from 'recharts';
import { ChartIndicators } from '../../chart/chart-indicators';
import type { Indicator } from '../../indicators';
import { HoverModel } from '../../chart/hover-model';
import { DEFAULT_VISIBLE_CANDLES, INTERVAL_MS, RANGES } from '../../chart/intervals';
import { useChartHistories } from '../../chart/use-chart-history';
import { compareSeries } from '../../chart/compare-series';
import type { CompareSeries } from '../../chart/compare-series';
import type { ChartHistory } from '../../chart/chart-history';
import { liveEnd, liveViewport, visibleRange } from '../../chart/viewport';
import type { Viewport } from '../../chart/viewport';
import { visibleCandles } from '../../chart/visible-candles';
import { armedLines } from '../../alerts/price-alert';
import { useDashboardStore, useFeedBridge } from '../../dashboard-context';
import { ChartZoomContext } from '../../keyboard/chart-zoom';
import { formatAxisPrice, priceTicks } from '../../lib/price-ticks';
import type { PriceTicks } from '../../lib/price-ticks';
import { CHART_COLORS, useResolvedTheme } from '../../lib/theme';
import { formatTimeTick, timeAxisTicks } from '../../lib/time-axis';
import { useStableValues } from '../../lib/use-stable-values';
import { PRICE_AXIS_WIDTH } from '../use-chart-frame';
import { useChartSummary } from '../use-chart-summary';
import { AlertLinesLayer } from './AlertLinesLayer';
import { CandleLayer } from './CandleLayer';
import { ChartLegend } from './ChartLegend';
import { CompareLayer } from './CompareLayer';
import { Crosshair } from './Crosshair';
import { GridLayer } from './GridLayer';
import { IndicatorLayer } from './IndicatorLayer';
import { LastPriceLayer } from './LastPriceLayer';
import { PaneClip } from './PaneClip';
import { PriceAxisLayer } from './PriceAxisLayer';
import { TimeAxisLayer } from './TimeAxisLayer';
import { VolumeAxisLayer } from './VolumeAxisLayer';
import { VolumeLayer } from './VolumeLayer';
import { emptyFrame } from './chart-frame';
import { chartPanes, priceAxisDomain, volumeAxisDomain } from './chart-panes';
import { useAxisAlert } from './use-axis-alert';
import { useChartNavigation } from './use-chart-navigation';

interface TradingChartProps {
  readonly ticker: string;
  readonly width: number;
  readonly height: number;
}

const MARGIN = { top: 10, right: 0, bottom: 8, left: 8 };
const TIME_AXIS_HEIGHT = 24;
/**
 * recharts' margin: the axes are hidden recharts axes (their scales) drawn by the chart's own
 * layers, so their room is part of the margin.
 */
const CHART_MARGIN = {
  ...MARGIN,
  right: MARGIN.right + PRICE_AXIS_WIDTH,
  bottom: MARGIN.bottom + TIME_AXIS_HEIGHT,
};
/** One time label per this many pixels: wide enough for "22:48:19" and its neighbour. */
const PIXELS_PER_TIME_TICK = 110;
/** Older candles are asked for once less than this share of a screen is left before them. */
const LOAD_AHEAD_SHARE = 0.5;
/** No data on recharts' side: every layer reads the candle columns itself. */
const NO_DATA: never[] = [];

/**
 * The focused symbol's chart, as trading screens draw one: candles (or a line or area) over a
 * volume pane on one time axis, indicators, the last price on its axis, a crosshair with an
 * OHLCV legend, zoom and pan, and history loaded from the API as the user scrolls back, while
 * the feed keeps the open candle live. Built on recharts: its charts, axes and grid, with the
 * series drawn as custom layers on its scales.
 */
export const TradingChart = memo(function TradingChart({
  ticker,
  width,
  height,
}: TradingChartProps) {
  const interval = useDashboardStore((s) => s.timeframe);
  const range = useDashboardStore((s) => s.range);
  const style = useDashboardStore((s) => s.chartStyle);
  const chosenScale = useDashboardStore((s) => s.priceScale);
  const compared = useDashboardStore((s) => s.compare);
  const utc = useDashboardStore((s) => s.utc);
  const specs = useDashboardStore((s) => s.indicators);
  const symbol = useDashboardStore((s) => s.symbolsByTicker.get(ticker));
  const theme = useResolvedTheme(useDashboardStore((s) => s.theme));
  const alerts = useDashboardStore((s) => s.alerts);
  const editAlert = useDashboardStore((s) => s.editAlert);
  const bridge = useFeedBridge();
  // Redrawn when the bridge says the feed brought trades (throttled per frame) or a page came.
  useDashboardStore((s) => s.chartVersions.get(ticker) ?? 0);
  const [history] = useChartHistories([ticker], interval) as [ChartHistory];
  const compareTickers = compared.filter((t) => t !== ticker);
  const compareHistories = useChartHistories(compareTickers, interval);
  // Compared lines are percent changes: the chart's own prices join them on a percent axis.
  const scale = compareTickers.length > 0 ? 'percent' : chosenScale;
  const colors = CHART_COLORS[theme];
  const priceDecimals = symbol?.priceDecimals ?? 0;
  const sizeDecimals = symbol?.sizeDecimals ?? 0;
  const intervalMs = INTERVAL_MS[interval];
  const summary = useChartSummary(ticker, priceDecimals);

  // A new symbol, interval or range opens live over its own span: the range's, or candles
  // about six pixels apart. Null until the user zooms or pans, so it follows the width.
  const viewKey = `${ticker}/${interval}/${range ?? ''}`;
  const [view, setView] = useState<{ key: string; viewport: Viewport | null }>({
    key: viewKey,
    viewport: null,
  });
  const plotWidth = Math.max(1, width - MARGIN.left - PRICE_AXIS_WIDTH);
  const openingSpan =
    range !== null ? RANGES[range].spanMs : openingCandles(plotWidth) * intervalMs;
  const viewport =
    (view.key === viewKey ? view.viewport : null) ?? liveViewport(openingSpan, intervalMs);
  const setViewport = useCallback(
    (next: Viewport) => {
      setView({ key: viewKey, viewport: next });
    },
    [viewKey],
  );

  const { candles } = history;
  const live = liveEnd(candles.newestStart(), intervalMs, Date.now());
  const { from, to } = visibleRange(viewport, live);
  const closesOnly = style !== 'candles';
  const visible = visibleCandles(candles, from, to, scale, priceDecimals, closesOnly);
  const compares = compareHistories
    .map((h) => compareSeries(h.ticker, h.candles, h.version, from, to))
    .filter((c): c is CompareSeries => c !== null);
  const low = compares.reduce((min, c) => Math.min(min, c.low), visible.low);
  const high = compares.reduce((max, c) => Math.max(max, c.high), visible.high);
  const indicatorsRef = useRef<ChartIndicators | null>(null);
  indicatorsRef.current ??= new ChartIndicators();
  const indicators = indicatorsRef.current.sync(specs, history);
  const priceIndicators = indicators.filter((i) => i.pane === 'price');
  const volumeIndicators = indicators.filter((i) => i.pane === 'volume');
  // An indicator keeps its colour (its place in the list, as in the legend) in either pane.
  const indicatorColor = (indicator: Indicator) =>
    colors.indicators[indicators.indexOf(indicator) % colors.indicators.length] ?? '';

  // Where recharts puts its plot area (the margins less the axes), split into the two panes.
  const plot = {
    x: MARGIN.left,
    y: MARGIN.top,
    width: plotWidth,
    height: Math.max(1, height - MARGIN.top - MARGIN.bottom - TIME_AXIS_HEIGHT),
  };
  const panes = chartPanes(plot, height);
  const axisDecimals = scale === 'percent' ? 2 : priceDecimals;
  // recharts redraws an axis, and recomputes its store, whenever one of the axis's props changes
  // by reference: ticks, formatters and styles are kept the same objects while their values
  // are, so a frame of a pan changes the time axis's domain and little else.
  const prices = priceTicks(low, high, axisDecimals);
  const priceAxisTicks = useStableValues(prices.ticks);
  // Round ticks for the volume too: its axis then changes only when the tallest bar crosses one.
  const volumeTicks = volumeAxis(visible.maxVolume / 10 ** sizeDecimals, sizeDecimals);
  const volumeAxisTicks = useStableValues(volumeTicks.ticks);
  const timeTicks = useStableValues(
    timeAxisTicks(from, to, Math.floor(plotWidth / PIXELS_PER_TIME_TICK), utc),
  );
  // One tick alone says nothing of the step: the span stands in for it.
  const timeStep =
    timeTicks.length > 1 ? (timeTicks[1] as number) - (timeTicks[0] as number) : to - from;
  const formatTime = useCallback(
    (time: number) => formatTimeTick(time, timeStep, utc),
    [timeStep, utc],
  );
  const formatPrice = useCallback(
    (value: number) =>
      scale === 'percent'
        ? `${value > 0 ? '+' : ''}${value.toFixed(2)}%`
        : formatAxisPrice(value, priceDecimals),
    [scale, priceDecimals],
  );

  // What the crosshair and legend read when the pointer moves.
  const frameRef = useRef(emptyFrame());
  const frame = frameRef.current;
  frame.candles = candles;
  frame.from = from;
  frame.to = to;
  frame.yMin = prices.domain[0];
  frame.yMax = prices.domain[1];
  frame.scale = scale;
  frame.toAxis = visible.toAxis;
  frame.fromAxis = visible.fromAxis;
  frame.priceDecimals = priceDecimals;
  frame.sizeDecimals = sizeDecimals;
  frame.indicators = indicators;
  frame.compares = compares;
  frame.pricePlot = panes.price;
  frame.volumePlot = panes.volume;
  const hoverRef = useRef<HoverModel | null>(null);
  hoverRef.current ??= new HoverModel();
  const hover = hoverRef.current;

  const surface = useRef<HTMLDivElement | null>(null);
  useChartNavigation({
    surface,
    frame,
    hover,
    viewport,
    live,
    intervalMs,
    onViewport: setViewport,
    zoomSlot: use(ChartZoomContext),
  });
  useAxisAlert({
    surface,
    frame,
    onPrice: (price) => {
      editAlert({ ticker, alertId: null, price });
    },
  });

  // Older candles before the user reaches them, without moving the view.
  const oldest = candles.oldestStart();
  useEffect(() => {
    for (const h of [history, ...compareHistories]) {
      const start = h.candles.oldestStart();
      if (start !== null && from < start + viewport.spanMs * LOAD_AHEAD_SHARE) h.loadOlder();
    }
  });

  const last = candles.size > 0 ? candles.size - 1 : -1;
  const lastClose = last >= 0 ? candles.closeAt(last) : null;
  const lastRising = last >= 0 && candles.closeAt(last) >= candles.openAt(last);
  // A change alert's level follows the session's open, which the feed's series holds.
  const alertLines = armedLines(alerts, ticker, bridge.series(ticker)?.session.open ?? null);
  const scaleType = scale === 'log' && prices.domain[0] > 0 ? 'log' : 'linear';
  const clipId = useId();

  return (
    <figure
      className="trading-chart"
      aria-label={`${ticker} candles`}
      data-status={history.status}
      data-interval-ms={intervalMs}
      data-from={Math.round(from)}
      data-to={Math.round(to)}
      data-candles={visible.end - visible.first}
      data-oldest={oldest ?? undefined}
      data-live={viewport.end === null}
      data-loading-older={history.loadingOlder}
      data-reached-start={history.reachedStart}
      data-scale={scale}
      data-last={
        last >= 0
          ? `${candles.startAt(last)}:${candles.closeAt(last)}:${candles.volumeAt(last)}`
          : ''
      }
    >
      <ChartLegend
        hover={hover}
        frame={frame}
        utc={utc}
        indicatorColors={colors.indicators}
        compareColors={colors.compares}
      />
      <div
        ref={surface}
        className="chart-surface"
        tabIndex={0}
        role="application"
        aria-roledescription="chart"
        aria-label={`${ticker} chart: drag or use the arrow keys to pan, the wheel or + and − to zoom, End to go back to live; click the price axis to set an alert at that price`}
      >
        {candles.size === 0 ? (
          <p className="chart-empty" style={{ height }}>
            {history.status === 'failed'
              ? `The history could not be loaded (${history.error ?? 'unknown error'}); trying again…`
              : 'Loading candles…'}
          </p>
        ) : (
          <>
            <ComposedChart
              width={width}
              height={height}
              data={NO_DATA}
              accessibilityLayer={false}
              margin={CHART_MARGIN}
              // The drawing's figures, for whoever cannot see it; an image's parts (the axis
              // labels) are left out of the accessibility tree.
              role="img"
              aria-label={summary}
            >
              <XAxis
                type="number"
                dataKey="time"
                domain={[from, to]}
                allowDataOverflow
                niceTicks="none"
                ticks={timeTicks}
                interval={0}
                hide
              />
              <YAxis
                type="number"
                scale={scaleType}
                domain={priceAxisDomain(prices.domain, plot.height, panes, scaleType === 'log')}
                allowDataOverflow
                niceTicks="none"
                ticks={priceAxisTicks}
                interval={0}
                hide
              />
              <YAxis
                yAxisId="volume"
                orientation="right"
                type="number"
                domain={volumeAxisDomain(volumeTicks.domain[1], plot.height, panes)}
                allowDataOverflow
                niceTicks="none"
                ticks={volumeAxisTicks}
                interval={0}
                hide
              />
              <GridLayer
                plot={plot}
                times={timeTicks}
                prices={priceAxisTicks}
                stroke={colors.grid}
              />
              <PaneClip id={`${clipId}-price`} pane={panes.price}>
                <CandleLayer
                  candles={candles}
                  visible={visible}
                  version={history.version}
                  style={style}
                  log={scaleType === 'log'}
                  up={colors.up}
                  down={colors.down}
                  line={colors.line}
                />
                <IndicatorLayer
                  candles={candles}
                  first={visible.first}
                  end={visible.end}
                  indicators={priceIndicators}
                  colors={priceIndicators.map(indicatorColor)}
                  toAxis={visible.toAxis}
                  version={history.version}
                  log={scaleType === 'log'}
                />
                <CompareLayer series={compares} colors={colors.compares} />
              </PaneClip>
              <PaneClip id={`${clipId}-volume`} pane={panes.volume}>
                <VolumeLayer
                  candles={candles}
                  visible={visible}
                  version={history.version}
                  sizeDecimals={sizeDecimals}
                  up={colors.up}
                  down={colors.down}
                />
                <IndicatorLayer
                  candles={candles}
                  first={visible.first}
                  end={visible.end}
                  indicators={volumeIndicators}
                  colors={volumeIndicators.map(indicatorColor)}
                  toAxis={(volume) => volume / 10 ** sizeDecimals}
                  version={history.version}
                  log={false}
                  yAxisId="volume"
                />
              </PaneClip>
              <TimeAxisLayer
                plot={plot}
                ticks={timeTicks}
                format={formatTime}
                line={colors.grid}
                text={colors.axis}
              />
              <PriceAxisLayer
                pane={panes.price}
                plot={plot}
                ticks={priceAxisTicks}
                format={formatPrice}
                line={colors.grid}
                text={colors.axis}
              />
              <VolumeAxisLayer
                pane={panes.volume}
                ticks={volumeAxisTicks}
                format={formatVolume}
                line={colors.grid}
                text={colors.axis}
              />
              {lastClose !== null && (
                <LastPriceLayer
                  value={visible.toAxis(lastClose)}
                  label={formatPrice(visible.toAxis(lastClose))}
                  color={lastRising ? colors.up : colors.down}
                  labelText={colors.onTrend}
                  pane={panes.price}
                />
              )}
              <AlertLinesLayer
                lines={alertLines}
                toAxis={visible.toAxis}
                format={formatPrice}
                color={colors.alert}
                labelText={colors.alertText}
                pane={panes.price}
              />
            </ComposedChart>
            <Crosshair
              hover={hover}
              frame={frame}
              width={width}
              height={height}
              utc={utc}
              line={colors.axis}
              labelBackground={colors.axis}
              labelText={theme === 'dark' ? '#0f131a' : '#ffffff'}
              bell={colors.alert}
              bellText={colors.alertText}
            />
          </>
        )}
      </div>
      {viewport.end !== null && (
        <button
          type="button"
          className="back-to-live"
          onClick={() => {
            setViewport({ spanMs: viewport.spanMs, end: null });
          }}
        >
          Back to live
        </button>
      )}
      <figcaption className="visually-hidden-label">
        {`${ticker}: ${visible.end - visible.first} candles of ${interval}`}
      </figcaption>
    </figure>
  );
});

/**
 * The volume axis: the tallest bar reaches near the top of its pane, with round labels below it
 * (the axis changes only when the tallest bar crosses one of them).
 */
function volumeAxis(maxVolume: number, decimals: number): PriceTicks {
  if (!(maxVolume > 0)) return { domain: [0, 1], ticks: [0], step: 1 };
  const { ticks, step } = priceTicks(0, maxVolume, decimals, 3);
  // A fifth of a step above the tallest bar, rounded up to it, so the domain moves rarely.
  const headroom = step / 5;
  return {
    domain: [0, Math.ceil((maxVolume * 1.02) / headroom) * headroom],
    ticks: ticks.filter((tick) => tick >= 0 && tick <= maxVolume),
    step,
  };
}

/** Candles a chart opens with: about six pixels each, as trading charts space them. */
function openingCandles(plotWidth: number): number {
  return Math.min(DEFAULT_VISIBLE_CANDLES, Math.max(30, Math.round(plotWidth / 6)));
}

const compactVolume = new Intl.NumberFormat(undefined, {
  notation: 'compact',
  maximumFractionDigits: 1,
});

function formatVolume(volume: number): string {
  return compactVolume.format(volume);
}
