import * as v from 'valibot';
import type { RunConfig, RunRecord } from '../records';
import type { LabKey } from '../share/host';

/** What hosting needs from the search worker. */
export interface HostPort {
  setLabKey(key: LabKey): Promise<void>;
  joinLink(runId: string, config: RunConfig, appUrl: string): Promise<string>;
}

const LAB_KEY = v.strictObject({
  hostCreds: v.pipe(v.string(), v.includes('BEGIN NATS USER JWT', 'expected the host credentials of npm run lab -- start')),
  signingSeed: v.pipe(v.string(), v.regex(/^SA[A-Z2-7]{56}$/, 'expected an account signing seed')),
  account: v.pipe(v.string(), v.regex(/^A[A-Z2-7]{55}$/, 'expected an account public key')),
});

/** Sharing the next run on a lab server (the lab key is kept in memory only), and join links for a shared run. */
export class ShareSetup {
  server = $state('ws://127.0.0.1:4223');
  key = $state.raw<LabKey | null>(null);
  error = $state<string | null>(null);
  /** The last join link made, for the run it was made for. */
  link = $state.raw<{ readonly runId: string; readonly url: string } | null>(null);

  constructor(private readonly port: HostPort) {}

  /** Reads host-key.json (written by `npm run lab -- start`); a wrong file is named with what is wrong. */
  async loadKey(file: File): Promise<void> {
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      this.error = `${file.name} is not the lab key: it is not JSON. Choose host-key.json from the lab's directory.`;
      return;
    }
    const parsed = v.safeParse(LAB_KEY, json);
    if (!parsed.success) {
      this.error = `${file.name} is not the lab key (${v.getDotPath(parsed.issues[0]) ?? 'file'}: ${parsed.issues[0].message}). Choose host-key.json from the lab's directory.`;
      return;
    }
    this.key = parsed.output;
    this.error = null;
  }

  /** Whether this device trains candidates of the run it hosts, besides its devices (off: it only runs the search). */
  hostTrains = $state(true);

  stopSharing(): void {
    this.key = null;
  }

  /** The next run's sharing settings, and the key handed to the worker that will host it. */
  async prepare(): Promise<Pick<RunConfig, 'share'>> {
    if (!this.key) return {};
    await this.port.setLabKey(this.key);
    return { share: { server: this.server.trim(), ...(this.hostTrains ? {} : { hostOnly: true }) } };
  }

  /** A fresh link for one more device of a shared run this tab hosts. */
  newLink = async (run: RunRecord): Promise<void> => {
    try {
      this.link = { runId: run.id, url: await this.port.joinLink(run.id, run.config, `${location.origin}${location.pathname}`) };
      this.error = null;
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
    }
  };
}
