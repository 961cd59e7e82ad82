import type { DeviceStatus } from '../share/deviceLoop';
import { parseJoin } from '../share/join';

/** What joining needs from the search worker. */
export interface JoinPort {
  join(link: string, onStatus: (status: DeviceStatus) => void): Promise<number>;
  leave(): Promise<number>;
}

/** This tab as a device of a shared run (opened from a join link): what it does, and leaving. */
export class DeviceJoin {
  /** The run served, while this tab serves it. */
  run = $state.raw<string | null>(null);
  server = $state.raw<string | null>(null);
  status = $state.raw<DeviceStatus | null>(null);
  /** Candidates this device trained and sent, newest first (at most 50). */
  sent = $state.raw<Extract<DeviceStatus, { kind: 'sent' }>[]>([]);
  error = $state<string | null>(null);
  ended = $state(false);

  constructor(private readonly port: JoinPort) {}

  /** Serves the run in `link` until the host ends it or the user leaves; errors land in `error`. */
  async join(link: string): Promise<void> {
    const ticket = parseJoin(link);
    if (!ticket.ok) {
      this.error = ticket.error.message;
      return;
    }
    this.run = ticket.value.run;
    this.server = ticket.value.server;
    this.error = null;
    this.ended = false;
    try {
      await this.port.join(link, (status) => {
        this.status = status;
        if (status.kind === 'sent') this.sent = [status, ...this.sent].slice(0, 50);
        if (status.kind === 'ended') this.ended = true;
      });
    } catch (e) {
      this.error = `Could not serve the shared run: ${e instanceof Error ? e.message : String(e)}`;
    } finally {
      this.run = null;
    }
  }

  leave = (): Promise<number> => this.port.leave();
}
