import { createHmac, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

/** A POST the receiver got: its headers, its body as sent, and when it arrived. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver does with the n-th POST (1-based): answer with a status, or hold it open. */
export type WebhookAnswer = (n: number) => number | 'hang';

/**
 * A real HTTP endpoint on loopback that records every POST, answering as `answer` says: what a
 * static site's rebuild hook looks like to the service.
 */
export async function startWebhookReceiver(answer: WebhookAnswer = () => 200) {
  const received: ReceivedWebhook[] = [];
  const held = new Set<ServerResponse>();
  let aborted = 0;
  let current = answer;
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body, at: Date.now() });
      const reply = current(received.length);
      if (reply !== 'hang') return void response.writeHead(reply).end('ok');
      held.add(response);
      // The sender gave up on it (shutdown, timeout) before it was answered.
      response.on('close', () => {
        if (held.delete(response) && !response.writableEnded) aborted += 1;
      });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    /** POSTs held open that the sender closed before they were answered. */
    get aborted() {
      return aborted;
    },
    /** POSTs held open right now. */
    get holding() {
      return held.size;
    },
    /** Changes how the next POSTs are answered. */
    answerWith(next: WebhookAnswer) {
      current = next;
    },
    /** Answers every POST held open with `status`. */
    release(status: number) {
      for (const response of held) response.writeHead(status).end('ok');
      held.clear();
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/**
 * Whether a POST is signed as the Standard Webhooks spec says, checked here from the spec (not
 * with the library the service signs with): `webhook-signature` holds `v1,<base64>` of
 * HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`, keyed with the secret after
 * `whsec_`, base64-decoded.
 */
export function signedPerStandardWebhooks(secret: string, { headers, body }: ReceivedWebhook): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!/^\d+$/.test(timestamp)) return false;
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64'));
  // Several space-separated signatures may be sent (key rotation): one valid v1 is enough.
  return signatures.split(' ').some((signature) => {
    const [version, value = ''] = signature.split(',');
    const given = Buffer.from(value);
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}
