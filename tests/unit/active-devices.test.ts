import { expect, it } from 'vitest';
import { ActiveDevices, queueDepthFor } from '../../src/lib/share/activeDevices';

it('counts the devices seen within the window: a device between two pulls still counts, one gone longer does not', () => {
  const devices = new ActiveDevices(10_000);
  devices.add(0, 1, 2); // one idle, two training
  devices.add(2_000, 0, 2); // the idle one is between pulls
  expect(devices.count()).toBe(3);
  devices.add(11_000, 0, 1);
  expect(devices.count()).toBe(2); // the reading at 0 has left the window
  devices.add(30_000, 0, 0);
  expect(devices.count()).toBe(0);
});

it('keeps twice the devices in flight, at least 2 and at most the cap', () => {
  expect([0, 1, 3, 60].map((n) => queueDepthFor(n, 100))).toEqual([2, 2, 6, 100]);
  expect(queueDepthFor(3, 4)).toBe(4);
});
