import { useId } from 'react';
import type { Ref } from 'react';
import { SHORTCUTS } from '../keyboard/shortcuts';
import type { ShortcutScope } from '../keyboard/shortcuts';

const SCOPE_TITLES: Readonly<Record<ShortcutScope, string>> = {
  page: 'Anywhere',
  watchlist: 'On a watchlist row',
  chart: 'On the chart',
};
const SCOPES = Object.keys(SCOPE_TITLES) as ShortcutScope[];

interface ShortcutsDialogProps {
  /** Opened by its owner's `showModal()`: the browser keeps the focus in it, Esc closes it. */
  readonly ref: Ref<HTMLDialogElement>;
}

/** Every keyboard shortcut, from the shortcut table, by where it works. */
export function ShortcutsDialog({ ref }: ShortcutsDialogProps) {
  const titleId = useId();
  return (
    <dialog ref={ref} className="shortcuts-dialog" aria-labelledby={titleId}>
      <h2 id={titleId}>Keyboard shortcuts</h2>
      {SCOPES.map((scope) => (
        <table key={scope} className="shortcuts-table">
          <caption>{SCOPE_TITLES[scope]}</caption>
          <tbody>
            {SHORTCUTS.filter((shortcut) => shortcut.scope === scope).map((shortcut) => (
              <tr key={shortcut.action}>
                <th scope="row">
                  {shortcut.keyLabels.map((label) => (
                    <kbd key={label}>{label}</kbd>
                  ))}
                </th>
                <td>{shortcut.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      <form method="dialog">
        {/* The first control in it: showModal() moves the focus here. */}
        <button type="submit">Close</button>
      </form>
    </dialog>
  );
}
