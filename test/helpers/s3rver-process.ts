// Runs s3rver in a process of its own (started by test/helpers/s3.ts): that process needs
// OpenSSL's legacy provider (s3rver encrypts ListObjectsV2 continuation tokens with DES), and
// the server's work stays off the process under test. Prints its port; stops on SIGTERM or
// when its parent goes away (stdin closes), so a crashed test leaves no server running.
import S3rver from 's3rver';

const [directory] = process.argv.slice(2);
if (!directory) throw new Error('usage: s3rver-process.ts <directory>');
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  directory,
  silent: process.env.S3RVER_VERBOSE !== 'true',
});
const { port } = await server.run();
process.stdout.write(`${port}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.stdin.on('close', stop);
process.stdin.resume();
