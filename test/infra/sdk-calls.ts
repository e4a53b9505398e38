import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { bundleMetafile } from '../../bench/bundles.ts';
import { PROJECT_ROOT } from '../../infra/constructs/pipeline-function.ts';

/**
 * The AWS actions a handler's bundle can call, read statically from the bundle the CDK app builds
 * (esbuild's metafile, tree-shaken): each SDK command module that left bytes in the output is one
 * action (`client-dynamodb/…/PutItemCommand.js` → dynamodb:PutItem; the document client's
 * commands pull in these). A DynamoDB transaction is authorised per item, so when
 * TransactWriteItems survives, the item kinds the bundled project files build (`Put:`, `Update:`,
 * `Delete:`, `ConditionCheck:`) count as their actions; a presigned POST is s3:PutObject.
 */

const DOCUMENT_COMMANDS: Record<string, string> = {
  GetCommand: 'dynamodb:GetItem',
  PutCommand: 'dynamodb:PutItem',
  UpdateCommand: 'dynamodb:UpdateItem',
  DeleteCommand: 'dynamodb:DeleteItem',
  QueryCommand: 'dynamodb:Query',
  ScanCommand: 'dynamodb:Scan',
  BatchGetCommand: 'dynamodb:BatchGetItem',
  BatchWriteCommand: 'dynamodb:BatchWriteItem',
  TransactGetCommand: 'dynamodb:GetItem',
};
const SERVICE: Record<string, string> = {
  dynamodb: 'dynamodb',
  s3: 's3',
  sfn: 'states',
  sesv2: 'ses',
  'secrets-manager': 'secretsmanager',
};
const TRANSACT_ITEMS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

const survivors = (metafile: Metafile): string[] =>
  Object.values(metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([input]) => input),
  );

/** `import { A, type B, C as D } from '@aws-sdk/…'` → the command names A and C, by package. */
function sdkImports(source: string): [string, string][] {
  return [...source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'(@aws-sdk\/[^']+)'/g)].flatMap(
    ([, names = '', module = '']) =>
      names
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name && !name.startsWith('type '))
        .map((name): [string, string] => [module, name.split(/\s+as\s+/)[0] ?? name]),
  );
}

/** The actions one project file can call: the commands it imports, the transaction items it builds. */
export function actionsInSource(source: string): { commands: Set<string>; transactionItems: Set<string> } {
  const actions = new Set<string>();
  const items = new Set<string>();
  let transacts = false;
  for (const [module, name] of sdkImports(source)) {
    if (module === '@aws-sdk/lib-dynamodb') {
      if (name === 'TransactWriteCommand') transacts = true;
      const action = DOCUMENT_COMMANDS[name];
      if (action) actions.add(action);
      continue;
    }
    const service = SERVICE[module.replace('@aws-sdk/client-', '')];
    if (service && name.endsWith('Command')) actions.add(`${service}:${name.replace(/Command$/, '')}`);
    if (module === '@aws-sdk/s3-presigned-post' && name === 'createPresignedPost') actions.add('s3:PutObject');
  }
  // Transaction items (`{ Put: {…} }`…) in the files that deal with DynamoDB: wherever they are built.
  if (transacts || /from '@aws-sdk\/(lib|client)-dynamodb'/.test(source)) {
    for (const [, kind = ''] of source.matchAll(/\b(Put|Update|Delete|ConditionCheck)\s*:\s*[{\w]/g)) {
      items.add(TRANSACT_ITEMS[kind] ?? '');
    }
  }
  return { commands: actions, transactionItems: items };
}

/**
 * The actions of a bundle: those of each project file that left code in it (tree shaking drops
 * the files a handler does not use), but transaction items only if a transaction is sent.
 */
export function actionsOfMetafile(metafile: Metafile): string[] {
  const inputs = survivors(metafile);
  const sendsTransactions = inputs.some((input) => /\/TransactWriteItemsCommand\.js$/.test(input));
  const actions = new Set<string>();
  for (const input of inputs.filter((path) => !path.includes('node_modules'))) {
    const { commands, transactionItems } = actionsInSource(readFileSync(join(PROJECT_ROOT, input), 'utf8'));
    for (const action of commands) actions.add(action);
    if (sendsTransactions) for (const action of transactionItems) actions.add(action);
  }
  return [...actions].sort();
}

/** The actions a handler's code can call, sorted. */
export async function actionsOfHandler(entry: string): Promise<string[]> {
  return actionsOfMetafile(await bundleMetafile(entry));
}
