/**
 * Reads a received message (RFC 5322 with MIME) into what the local inbox lists: subject, text
 * and HTML. Enough for what nodemailer writes (encoded-word headers, multipart/alternative or
 * mixed, base64, quoted-printable, 7bit and 8bit bodies in UTF-8); not a general MIME parser.
 */

export interface ReadMessage {
  messageId?: string;
  subject: string;
  text?: string;
  html?: string;
}

type Headers = Map<string, string>;

export function readMessage(raw: Buffer): ReadMessage {
  const { headers, body } = splitEntity(raw.toString('utf8'));
  const parts = { text: undefined as string | undefined, html: undefined as string | undefined };
  collectParts(headers, body, parts);
  const messageId = headers.get('message-id')?.trim();
  return {
    ...(messageId && { messageId }),
    subject: decodeWords(headers.get('subject') ?? ''),
    ...(parts.text !== undefined && { text: parts.text }),
    ...(parts.html !== undefined && { html: parts.html }),
  };
}

function splitEntity(entity: string): { headers: Headers; body: string } {
  const match = /\r?\n\r?\n/.exec(entity);
  const head = match ? entity.slice(0, match.index) : entity;
  const body = match ? entity.slice(match.index + match[0].length) : '';
  const headers: Headers = new Map();
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** `text/plain; charset=utf-8` → the type and its parameters. */
function contentType(headers: Headers): { type: string; params: Map<string, string> } {
  const [type = 'text/plain', ...rest] = (headers.get('content-type') ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const param of rest) {
    const equals = param.indexOf('=');
    if (equals < 0) continue;
    params.set(
      param.slice(0, equals).trim().toLowerCase(),
      param
        .slice(equals + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1'),
    );
  }
  return { type: type.trim().toLowerCase(), params };
}

function collectParts(headers: Headers, body: string, into: { text?: string; html?: string }): void {
  const { type, params } = contentType(headers);
  const boundary = params.get('boundary');
  if (type.startsWith('multipart/') && boundary) {
    const delimiter = `--${boundary}`;
    const sections = body.split(new RegExp(`\\r?\\n?${escapeRegExp(delimiter)}(?:--)?[ \\t]*\\r?\\n?`));
    // The preamble before the first delimiter and the epilogue after the last are not parts.
    for (const section of sections.slice(1, -1)) {
      const part = splitEntity(section);
      collectParts(part.headers, part.body, into);
    }
    return;
  }
  if (type !== 'text/plain' && type !== 'text/html') return;
  const decoded = decodeBody(body, headers.get('content-transfer-encoding'));
  if (type === 'text/plain') into.text ??= decoded;
  else into.html ??= decoded;
}

function decodeBody(body: string, encoding = '7bit'): string {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
    case 'quoted-printable':
      return quotedPrintable(body.replace(/=\r?\n/g, ''));
    default:
      return body.replace(/\r\n/g, '\n');
  }
}

/** `=E4=B8=AD` → the UTF-8 bytes they spell; line breaks as \n. */
function quotedPrintable(text: string): string {
  const bytes: number[] = [];
  const source = text.replace(/\r\n/g, '\n');
  for (let i = 0; i < source.length; i++) {
    const char = source[i] ?? '';
    const hex = source.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`); blanks between two of them vanish. */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g;
  return value
    .replace(/(\?=)\s+(?==\?)/g, '$1')
    .replace(word, (_all, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : quotedPrintable(data.replace(/_/g, ' ')),
    );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
