import { assertNever } from '../core/assert';
import type { DeviceStatus } from '../share/deviceLoop';

/** What a joined device is doing, as its screen says it ("This device works for run R: ..."). */
export function doingText(s: DeviceStatus | null): string {
  if (!s) return 'waiting for the next candidate';
  switch (s.kind) {
    case 'waiting':
      return 'waiting for the next candidate';
    case 'training':
      return `training candidate ${s.seq}${s.deliveries > 1 ? ' (another device left it unfinished)' : ''}`;
    case 'sent':
      return `sent candidate ${s.seq}`;
    case 'refused':
      return s.reason;
    case 'measuring':
      return `measuring the run's front here (${s.candidates} network${s.candidates === 1 ? '' : 's'}) for "Compare devices"`;
    case 'measured':
      return `measured the run's front here (${s.candidates} network${s.candidates === 1 ? '' : 's'}); waiting for the host to end the run`;
    case 'ended':
      return 'the host ended the run';
    default:
      return assertNever(s);
  }
}
