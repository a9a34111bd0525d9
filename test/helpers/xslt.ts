import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Renders an XML document with an XSLT stylesheet as its readers do, by libxslt's `xsltproc`,
 * and returns the text a person sees (no style sheet or title; a line break as a space),
 * whitespace collapsed, read by lxml's HTML parser as a browser reads it.
 */
export function renderedText(stylesheet: string, xml: string | Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'urzad-xslt-'));
  try {
    fs.writeFileSync(path.join(dir, 'doc.xml'), xml);
    const run = spawnSync('xsltproc', ['--nonet', '-o', 'out.html', stylesheet, 'doc.xml'], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (run.error) throw run.error;
    if (run.status !== 0) throw new Error(`xsltproc: ${run.stderr}`);
    const text = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `import sys
from lxml import html
page = html.fromstring(open(sys.argv[1], 'rb').read())
for hidden in page.xpath('//*[local-name()="style" or local-name()="title"]'):
    hidden.drop_tree()
for br in page.xpath('//*[local-name()="br"]'):
    br.tail = ' ' + (br.tail or '')
print(' '.join(page.text_content().split()))`,
        'out.html',
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    if (text.error) throw text.error;
    if (text.status !== 0) throw new Error(`lxml: ${text.stderr}`);
    return text.stdout.trim();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
