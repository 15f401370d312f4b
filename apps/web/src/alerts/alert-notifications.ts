/** Whether this browser can show desktop notifications, and what the user said about them. */
export type NotificationAccess = 'unsupported' | NotificationPermission;

export function notificationAccess(): NotificationAccess {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks the user (only from a click: browsers ignore requests made without one). */
export async function askForNotifications(): Promise<NotificationAccess> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/**
 * Shows a desktop notification when the user allowed them; one per alert (the tag), so a
 * notification is never shown twice for one firing.
 */
export function showNotification(title: string, body: string, tag: string): void {
  if (notificationAccess() !== 'granted') return;
  try {
    new Notification(title, { body, tag });
  } catch {
    // Some browsers (Android Chrome) allow notifications only from a service worker: the notice
    // on the page remains.
  }
}
