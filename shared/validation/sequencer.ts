/** S3 sequencers compare as hex strings once left-padded to the same length. */
export function sequencerOrder(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const pa = a.padStart(width, '0').toUpperCase();
  const pb = b.padStart(width, '0').toUpperCase();
  return pa < pb ? -1 : pa > pb ? 1 : 0;
}
