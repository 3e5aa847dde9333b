import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** Default: the mailer's `from`. */
  readonly from?: string;
  readonly replyTo?: string;
  readonly attachments?: readonly { readonly filename: string; readonly content: Buffer | string; readonly contentType?: string }[];
}

export interface SentMail {
  readonly messageId: string;
  /** `outbox`: written as an `.eml` file; `smtp`: accepted by the SMTP server. */
  readonly transport: 'outbox' | 'smtp';
  /** The `.eml` file (outbox only). */
  readonly file?: string;
}

export interface MailerOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`: send for real. Without it, messages go to `outboxDir`. */
  readonly smtpUrl?: string | undefined;
  readonly outboxDir: string;
  readonly from: string;
}

/**
 * Sends e-mail through nodemailer. The embedded default writes every message as an `.eml` file to the
 * outbox folder (nothing is silently dropped: an operator can open or re-send them); `smtpUrl` sends for real.
 */
export class Mailer {
  readonly #transport: Transporter;
  readonly #outboxDir: string | undefined;
  readonly #from: string;
  readonly kind: 'outbox' | 'smtp';

  constructor(options: MailerOptions) {
    this.#from = options.from;
    if (options.smtpUrl) {
      this.kind = 'smtp';
      this.#transport = nodemailer.createTransport(options.smtpUrl);
    } else {
      this.kind = 'outbox';
      this.#outboxDir = options.outboxDir;
      this.#transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
    }
  }

  async send(message: MailMessage): Promise<SentMail> {
    const info = (await this.#transport.sendMail({
      from: message.from ?? this.#from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      ...(message.html === undefined ? {} : { html: message.html }),
      ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
      ...(message.attachments ? { attachments: message.attachments.map((a) => ({ ...a })) } : {}),
    })) as { messageId: string; message?: Buffer };
    if (this.#outboxDir === undefined) return { messageId: info.messageId, transport: 'smtp' };
    await mkdir(this.#outboxDir, { recursive: true });
    // sortable by time, unique even within one millisecond
    const file = join(this.#outboxDir, `${new Date().toISOString().replaceAll(':', '-')}-${randomUUID().slice(0, 8)}.eml`);
    await writeFile(file, info.message ?? Buffer.alloc(0));
    return { messageId: info.messageId, transport: 'outbox', file };
  }

  close(): void {
    this.#transport.close();
  }
}
