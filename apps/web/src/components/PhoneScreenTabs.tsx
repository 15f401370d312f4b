import { useDashboardStore } from '../dashboard-context';
import { SegmentedControl } from './SegmentedControl';

const SCREENS = ['watchlist', 'chart'] as const;
const SCREEN_LABELS = { watchlist: 'Watchlist', chart: 'Chart' } as const;

/** On a phone (the only width where CSS shows it): which of the two screens is on. */
export function PhoneScreenTabs() {
  const screen = useDashboardStore((s) => s.phoneScreen);
  const setScreen = useDashboardStore((s) => s.setPhoneScreen);
  return (
    <nav className="phone-screens" aria-label="Screens">
      <SegmentedControl
        label="Screen"
        options={SCREENS}
        value={screen}
        onChange={setScreen}
        optionLabel={(option) => SCREEN_LABELS[option]}
      />
    </nav>
  );
}
