import { join } from 'node:path';
import type { Repositories } from '@geocrm/db';
import { Mailer } from '../mail/mailer.ts';
import { OutboxSmsSender, type SmsSender } from '../mail/sms.ts';
import { AnnounceService } from './announce.service.ts';

/** Wires mail and announcing: `.eml` files in `<dataDir>/outbox` unless an SMTP URL is configured. */
export const createAnnounceFeature = (deps: { repos: Repositories; dataDir: string; mail: { smtpUrl: string | undefined; from: string }; sms?: SmsSender }) => {
  const outboxDir = join(deps.dataDir, 'outbox');
  const mailer = new Mailer({ smtpUrl: deps.mail.smtpUrl, outboxDir, from: deps.mail.from });
  const sms = deps.sms ?? new OutboxSmsSender(outboxDir);
  return { mailer, sms, outboxDir, service: new AnnounceService({ announce: deps.repos.announce, mailer, sms }) };
};
