import { useYAxisScale } from 'recharts';
import type { PlotBox } from './chart-frame';

interface LastPriceLayerProps {
  readonly value: number;
  readonly label: string;
  readonly color: string;
  readonly labelText: string;
  readonly pane: PlotBox;
}

const LABEL_HEIGHT = 18;

/** The last price as a dashed line across the plot, with its label on the price axis. */
export function LastPriceLayer({ value, label, color, labelText, pane }: LastPriceLayerProps) {
  const y = useYAxisScale();
  const at = y?.(value);
  if (at === undefined || at < pane.y || at > pane.y + pane.height) return null;
  const right = pane.x + pane.width;
  return (
    <g className="last-price" data-testid="last-price-line">
      <line x1={pane.x} x2={right} y1={at} y2={at} stroke={color} strokeDasharray="2 3" />
      <rect x={right} y={at - LABEL_HEIGHT / 2} width={78} height={LABEL_HEIGHT} fill={color} />
      <text x={right + 6} y={at + 4} fill={labelText} fontSize={11} fontWeight={600}>
        {label}
      </text>
    </g>
  );
}
