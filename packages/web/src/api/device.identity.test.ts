import t from 'tap';
import { deviceId, deviceNameFromUserAgent } from './device.identity.js';

const memoryStorage = (): Storage => {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (index) => [...map.keys()][index] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
};

t.test('deviceId: created once, then the same; a malformed stored id is replaced', async (t) => {
  const storage = memoryStorage();
  const first = deviceId(storage);
  t.match(first, /^[A-Za-z0-9_-]{16,128}$/, 'fits the contract’s ClientDeviceId pattern');
  t.equal(deviceId(storage), first);
  storage.setItem('ashchat.deviceId', 'short');
  t.not(deviceId(storage), 'short');
});

t.test('deviceNameFromUserAgent', async (t) => {
  t.equal(deviceNameFromUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'), 'Chrome on Linux');
  t.equal(deviceNameFromUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0'), 'Firefox on Windows');
  t.equal(
    deviceNameFromUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'),
    'Safari on iOS',
  );
  t.equal(deviceNameFromUserAgent('Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36 EdgA/131 Edg/131.0'), 'Edge on Android');
  t.equal(deviceNameFromUserAgent(''), 'Browser');
});
