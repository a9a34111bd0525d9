import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { simpleParser } from 'mailparser';
import { createFileMailer } from '../../src/adapters/file-mailer';
import { createLogger } from '../../src/adapters/logger';
import { createSmtpMailer } from '../../src/adapters/smtp-mailer';
import { startMailCatcher } from '../helpers/mail';

/** A logger whose lines are kept, to check what reaches the logs. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

test('the file mailer writes a parseable .eml and logs without the address', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-mail-'));
  const { logger, lines } = capturingLogger();
  try {
    await createFileMailer({ dir, from: 'Urząd OnLine <no-reply@example.pl>', logger }).send({
      to: 'ala@example.pl',
      subject: 'Zażółć gęślą jaźń',
      text: 'Treść ąę',
    });
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
    assert.equal(files.length, 1);
    const parsed = await simpleParser(fs.readFileSync(path.join(dir, files[0]!)));
    assert.equal(parsed.subject, 'Zażółć gęślą jaźń');
    assert.equal(parsed.text?.trim(), 'Treść ąę');
    assert.ok(lines.length > 0);
    assert.doesNotMatch(lines.join('\n'), /ala@example\.pl/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the SMTP mailer delivers to a real SMTP server', async () => {
  const catcher = await startMailCatcher();
  const { logger, lines } = capturingLogger();
  try {
    await createSmtpMailer({ url: catcher.url, from: 'no-reply@example.pl', logger }).send({
      to: 'ola@example.pl',
      subject: 'Kod',
      text: 'Twój kod: 123456',
    });
    const mail = await catcher.waitFor('ola@example.pl');
    assert.match(mail.text ?? '', /123456/);
    assert.doesNotMatch(lines.join('\n'), /ola@example\.pl|123456/);
  } finally {
    await catcher.close();
  }
});
