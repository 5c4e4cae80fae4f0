const DEVICE_KEY = 'ashchat.deviceId';

/**
 * This browser's stable device id (a random UUID kept in local storage, created once). The server
 * trusts devices by it, so signing in again from here needs no mailed code.
 */
export function deviceId(storage: Storage = localStorage): string {
  const existing = storage.getItem(DEVICE_KEY);
  if (existing && /^[A-Za-z0-9_-]{16,128}$/.test(existing)) return existing;
  const created = crypto.randomUUID();
  storage.setItem(DEVICE_KEY, created);
  return created;
}

/** A readable name for this device from its user agent, e.g. "Firefox on Linux" (shown in session lists and mails). */
export function deviceNameFromUserAgent(userAgent: string): string {
  const browser =
    /Edg\//.test(userAgent) ? 'Edge'
    : /OPR\//.test(userAgent) ? 'Opera'
    : /Firefox\//.test(userAgent) ? 'Firefox'
    : /Chrom(e|ium)\//.test(userAgent) ? 'Chrome'
    : /Safari\//.test(userAgent) ? 'Safari'
    : 'Browser';
  const os =
    /Android/.test(userAgent) ? 'Android'
    : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS'
    : /Windows/.test(userAgent) ? 'Windows'
    : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS'
    : /CrOS/.test(userAgent) ? 'ChromeOS'
    : /Linux/.test(userAgent) ? 'Linux'
    : '';
  return os ? `${browser} on ${os}` : browser;
}

export const deviceName = (): string => deviceNameFromUserAgent(typeof navigator === 'undefined' ? '' : navigator.userAgent);
