import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHORTCUTS, matchShortcut } from '../src/keyboard/shortcuts';
import type { KeyPress, ShortcutScope } from '../src/keyboard/shortcuts';
import { TIMEFRAMES } from '../src/store/view-options';

/** A stand-in for the element a key is pressed on: the fields the matcher reads. */
const element = (tagName: string, isContentEditable = false) =>
  ({ tagName, isContentEditable }) as unknown as EventTarget;
const BODY = element('BODY');

function press(key: string, modifiers: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, target: BODY, ...modifiers };
}

const actionOf = (key: string, scope: ShortcutScope = 'page', modifiers: Partial<KeyPress> = {}) =>
  matchShortcut(press(key, modifiers), scope)?.action ?? null;

describe('matchShortcut', () => {
  it('finds each page shortcut by the character its key types', () => {
    expect(actionOf('/')).toBe('focus-search');
    expect(actionOf('?')).toBe('show-shortcuts');
    expect(actionOf('+')).toBe('zoom-in');
    expect(actionOf('=')).toBe('zoom-in');
    expect(actionOf('-')).toBe('zoom-out');
    expect(actionOf('_')).toBe('zoom-out');
    expect(actionOf('Escape')).toBe('close');
    expect(actionOf('a')).toBeNull();
  });

  it('allows Shift, which is how ? and + are typed', () => {
    expect(matchShortcut({ ...press('?'), shiftKey: true } as KeyPress, 'page')?.action).toBe(
      'show-shortcuts',
    );
  });

  it('gives the number keys the place of the interval they choose, one per interval', () => {
    expect(matchShortcut(press('1'), 'page')).toEqual({ action: 'choose-interval', keyIndex: 0 });
    const last = String(TIMEFRAMES.length);
    expect(matchShortcut(press(last), 'page')).toEqual({
      action: 'choose-interval',
      keyIndex: TIMEFRAMES.length - 1,
    });
    expect(actionOf(String(TIMEFRAMES.length + 1))).toBeNull();
    expect(actionOf('0')).toBeNull();
  });

  it('leaves presses with Ctrl, Meta or Alt to the browser', () => {
    for (const modifier of ['ctrlKey', 'metaKey', 'altKey'] as const) {
      expect(actionOf('-', 'page', { [modifier]: true })).toBeNull();
      expect(actionOf('1', 'page', { [modifier]: true })).toBeNull();
      expect(actionOf('ArrowDown', 'watchlist', { [modifier]: true })).toBeNull();
      expect(actionOf('ArrowLeft', 'chart', { [modifier]: true })).toBeNull();
    }
  });

  it('lets keys typed into a field reach it: only Escape still counts', () => {
    for (const field of [
      element('INPUT'),
      element('TEXTAREA'),
      element('SELECT'),
      element('DIV', true),
    ]) {
      for (const key of ['/', '?', '1', '+', '-']) {
        expect(actionOf(key, 'page', { target: field })).toBeNull();
      }
      expect(actionOf('Escape', 'page', { target: field })).toBe('close');
    }
    expect(actionOf('/', 'page', { target: element('BUTTON') })).toBe('focus-search');
    expect(actionOf('/', 'page', { target: null })).toBe('focus-search');
  });

  it('keeps each scope to its own keys', () => {
    expect(actionOf('ArrowDown')).toBeNull();
    expect(actionOf('ArrowDown', 'watchlist')).toBe('next-row');
    expect(actionOf('ArrowUp', 'watchlist')).toBe('previous-row');
    expect(actionOf('Home', 'watchlist')).toBe('first-row');
    expect(actionOf('End', 'watchlist')).toBe('last-row');
    expect(actionOf('Enter', 'watchlist')).toBe('chart-row');
    expect(actionOf('End', 'chart')).toBe('back-to-live');
    expect(actionOf('ArrowLeft', 'chart')).toBe('pan-back');
    expect(actionOf('ArrowRight', 'chart')).toBe('pan-forward');
    expect(actionOf('/', 'chart')).toBeNull();
  });
});

describe('the shortcut table', () => {
  it('gives a key one meaning within a scope', () => {
    const seen = new Set<string>();
    for (const { scope, keys } of SHORTCUTS) {
      for (const key of keys) {
        expect(seen.has(`${scope} ${key}`), `${key} twice in ${scope}`).toBe(false);
        seen.add(`${scope} ${key}`);
      }
    }
  });

  it('is the one the README documents, row by row', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const shortcut of SHORTCUTS) {
      const keys = shortcut.keyLabels.map((label) => `\`${label}\``).join(' ');
      expect(readme).toMatch(new RegExp(`^\\| ${escapeRegExp(keys)} +\\|`, 'm'));
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
