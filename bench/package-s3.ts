/**
 * The local S3 stand-in (s3rver) in a process of its own, for bench/package.ts: the package
 * bench measures the builder's memory, which must not include the stand-in's. Prints its endpoint
 * on the first line of stdout, then serves until stdin closes.
 *
 *   npx tsx bench/package-s3.ts <directory>
 */
import { startS3Local } from '../local/services/s3.ts';

const directory = process.argv[2];
if (!directory) throw new Error('usage: package-s3.ts <directory>');
const quiet = () => undefined;
const s3 = await startS3Local({
  directory,
  port: 0,
  region: 'cn-north-1',
  log: { info: quiet, warn: quiet, error: quiet },
});
process.stdout.write(`${s3.endpoint}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void s3.stop().then(() => process.exit(0));
});
