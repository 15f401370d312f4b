import { useDashboardStore } from '../dashboard-context';
import { useResolvedTheme } from '../lib/theme';

/** Switches between light and dark; the choice is saved and from then on beats the system's. */
export function ThemeToggle() {
  const choice = useDashboardStore((s) => s.theme);
  const setTheme = useDashboardStore((s) => s.setTheme);
  const dark = useResolvedTheme(choice) === 'dark';
  return (
    <button
      type="button"
      className="theme-toggle"
      aria-pressed={dark}
      title={choice === null ? 'Following the system theme' : 'Theme chosen here'}
      onClick={() => {
        setTheme(dark ? 'light' : 'dark');
      }}
    >
      Dark theme
    </button>
  );
}
