import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface SmsMessage {
  /** E.164 or the number as the account holds it. */
  readonly to: string;
  readonly text: string;
}

export interface SentSms {
  readonly id: string;
  /** The provider's name (`outbox` for the embedded default). */
  readonly transport: string;
}

/** What an SMS provider plugs into (Twilio, OVH, Vonage…): one message at a time, an id back or a throw. */
export interface SmsSender {
  send(message: SmsMessage): Promise<SentSms>;
}

/** The embedded default: no provider, every SMS is appended as one JSON line to `outbox/sms.jsonl`. */
export class OutboxSmsSender implements SmsSender {
  readonly #dir: string;
  constructor(outboxDir: string) {
    this.#dir = outboxDir;
  }

  async send(message: SmsMessage): Promise<SentSms> {
    const id = randomUUID();
    await mkdir(this.#dir, { recursive: true });
    await appendFile(join(this.#dir, 'sms.jsonl'), `${JSON.stringify({ id, at: new Date().toISOString(), to: message.to, text: message.text })}\n`);
    return { id, transport: 'outbox' };
  }
}
