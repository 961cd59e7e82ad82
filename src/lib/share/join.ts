import { decode, fromPublic, fromSeed } from '@nats-io/jwt';
import * as v from 'valibot';
import { err, ok, type AppError, type Result } from '../core/result';
import type { WorkerCredentials } from './credentials';
import { LAB_ADDRESS } from './names';

/** What a join link carries: where the lab's WebSocket is, which run, and this device's credentials for it. */
export interface JoinTicket {
  readonly server: string;
  readonly run: string;
  readonly jwt: string;
  readonly seed: string;
}

export type JoinError = AppError<'bad-join-link'>;

const TICKET = v.strictObject({
  v: v.literal(1),
  server: v.pipe(v.string(), v.regex(LAB_ADDRESS, 'expected a ws:// or wss:// address')),
  run: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a run id')),
  jwt: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'expected a JWT')),
  seed: v.pipe(v.string(), v.regex(/^SU[A-Z2-7]{56}$/, 'expected a user nkey seed')),
});

const toBase64Url = (text: string): string =>
  btoa(String.fromCodePoint(...new TextEncoder().encode(text)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64UrlBytes = (b64: string): Uint8Array => Uint8Array.from(atob(b64.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.codePointAt(0)!);
const fromBase64Url = (b64: string): string => new TextDecoder().decode(fromBase64UrlBytes(b64));

/**
 * The app's address with the ticket in the fragment (`#join=...`): browsers never send a fragment in an
 * HTTP request, so the credentials reach only the page, not the server that serves it.
 */
export function joinUrl(appUrl: string, server: string, run: string, credentials: Pick<WorkerCredentials, 'jwt' | 'seed'>): string {
  const ticket = { v: 1, server, run, jwt: credentials.jwt, seed: credentials.seed };
  return `${appUrl.replace(/#.*$/, '')}#join=${toBase64Url(JSON.stringify(ticket))}`;
}

/** The ticket in a join link (or its fragment alone), or an error saying what is wrong with the link. */
export function parseJoin(link: string): Result<JoinTicket, JoinError> {
  const fragment = link.includes('#') ? link.slice(link.indexOf('#') + 1) : link;
  const encoded = new URLSearchParams(fragment).get('join');
  if (!encoded) return err({ code: 'bad-join-link', message: 'This is not a join link: it has no #join= part. Ask the host for the link of the run.' });
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(encoded));
  } catch {
    return err({ code: 'bad-join-link', message: 'The join link is damaged (its ticket does not decode). Copy the whole link again.' });
  }
  const parsed = v.safeParse(TICKET, json);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    return err({
      code: 'bad-join-link',
      message: `The join link is damaged (${v.getDotPath(issue) ?? 'ticket'}: ${issue.message}). Copy the whole link again.`,
    });
  }
  const { server, run, jwt, seed } = parsed.output;
  // the seed's own checksum, the JWT's signature by its issuer, and the JWT made out to the seed's key: a
  // changed character anywhere fails here, before any connection
  try {
    const claims = decode(jwt);
    const [header, payload, signature] = jwt.split('.');
    const signed = fromPublic(claims.iss).verify(new TextEncoder().encode(`${header}.${payload}`), fromBase64UrlBytes(signature!));
    if (!signed || claims.sub !== fromSeed(new TextEncoder().encode(seed)).getPublicKey()) throw new Error('not the same user');
  } catch {
    return err({
      code: 'bad-join-link',
      message: 'The join link is damaged (its credentials do not check out). Copy the whole link again, or ask the host for a new one.',
    });
  }
  return ok({ server, run, jwt, seed });
}
