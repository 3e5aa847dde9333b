import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, mailConfigFromEnv } from '../../config.ts';
import { Mailer } from './mailer.ts';
import { OutboxSmsSender } from './sms.ts';
import { startTestSmtp, type TestSmtp } from './test-smtp.ts';

let dir: string;
let smtp: TestSmtp;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'geocrm-mail-'));
  smtp = await startTestSmtp();
});
afterAll(async () => {
  await smtp.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Mailer', () => {
  it('writes an .eml file to the outbox by default (a readable message, CRLF, accents kept)', async () => {
    const mailer = new Mailer({ outboxDir: join(dir, 'outbox'), from: 'GeoCRM <no-reply@test.local>' });
    const sent = await mailer.send({ to: 'client@example.com', subject: 'Rendez-vous à 09:15', text: 'Bonjour, à lundi.' });
    expect(sent.transport).toBe('outbox');
    const files = await readdir(join(dir, 'outbox'));
    expect(files.filter((f) => f.endsWith('.eml'))).toHaveLength(1);
    const raw = await readFile(sent.file ?? '');
    expect(raw.toString('latin1')).toContain('\r\n');
    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe('Rendez-vous à 09:15');
    expect(parsed.text?.trim()).toBe('Bonjour, à lundi.');
    expect(parsed.messageId).toBe(sent.messageId);
    mailer.close();
  });

  it('sends through SMTP_URL to a real SMTP server', async () => {
    const mailer = new Mailer({ smtpUrl: smtp.url, outboxDir: join(dir, 'unused'), from: 'GeoCRM <no-reply@test.local>' });
    const sent = await mailer.send({ to: 'someone@example.com', subject: 'Hello', text: 'Body' });
    expect(sent.transport).toBe('smtp');
    const got = smtp.received.at(-1);
    expect(got?.envelopeTo).toEqual(['someone@example.com']);
    expect(got?.subject).toBe('Hello');
    expect(got?.from?.text).toContain('no-reply@test.local');
    mailer.close();
  });

  it('refuses an invalid SMTP_URL at startup, without echoing its password', () => {
    expect(() => mailConfigFromEnv({ SMTP_URL: 'mail.example.com:25' })).toThrow(/SMTP_URL must look like smtp:\/\//);
    expect(() => mailConfigFromEnv({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: 'smtp://' })).toThrow(/SMTP_URL/);
    expect(() => mailConfigFromEnv({ SMTP_URL: 'https://user:secret@x' })).toThrow(/\*\*\*@/);
    expect(() => mailConfigFromEnv({ SMTP_URL: 'https://user:secret@x' })).not.toThrow(/secret/);
    expect(mailConfigFromEnv({ SMTP_URL: 'smtps://u:p@smtp.example.com:465' }).smtpUrl).toBe('smtps://u:p@smtp.example.com:465');
    expect(mailConfigFromEnv({}).smtpUrl).toBeUndefined();
  });
});

describe('OutboxSmsSender', () => {
  it('appends each SMS as a JSON line (the seam where a provider plugs in)', async () => {
    const sms = new OutboxSmsSender(join(dir, 'sms'));
    const a = await sms.send({ to: '+33600000001', text: 'one' });
    await sms.send({ to: '+33600000002', text: 'two' });
    const lines = (await readFile(join(dir, 'sms', 'sms.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { id: string; to: string });
    expect(lines.map((l) => l.to)).toEqual(['+33600000001', '+33600000002']);
    expect(lines[0]?.id).toBe(a.id);
  });
});
