import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { compilePolicy, type Policy } from './compile.ts';
import { PolicyError } from './errors.ts';

/** The policy shipped with the package; used when FFGATE_POLICY is unset. */
export const DEFAULT_POLICY_PATH = fileURLToPath(new URL('../default-policy.yaml', import.meta.url));

export type PolicyFormat = 'yaml' | 'json';

/**
 * Parse and validate policy text. The format comes from `format`, else from the extension of
 * `source`, else from the content (JSON starts with `{`). YAML is a superset of JSON, but JSON's
 * own parser gives the better message for a JSON file with a syntax error.
 */
export function parsePolicy(text: string, options: { format?: PolicyFormat; source?: string } = {}): Policy {
  const source = options.source ?? '(inline)';
  const format = options.format ?? formatOf(source, text);
  let data: unknown;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (cause) {
      throw new PolicyError(source, [{ path: '', message: `not valid JSON: ${(cause as Error).message}` }], { cause });
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: false });
    if (doc.errors.length > 0) {
      const issues = doc.errors.map((e) => ({ path: '', message: `YAML ${e.code} at line ${e.linePos?.[0].line ?? '?'}: ${e.message}` }));
      throw new PolicyError(source, issues);
    }
    data = doc.toJS();
  }
  return compilePolicy(data, source);
}

/** Read and validate a policy file. */
export async function loadPolicyFile(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new PolicyError(path, [{ path: '', message: `cannot read file: ${(cause as Error).message}` }], { cause });
  }
  return parsePolicy(text, { source: path });
}

/**
 * Load a policy from a file path or from inline text (anything containing a newline or starting
 * with `{`); with no argument, the shipped default.
 */
export async function loadPolicy(pathOrText?: string): Promise<Policy> {
  if (pathOrText === undefined || pathOrText === '') return loadPolicyFile(DEFAULT_POLICY_PATH);
  if (pathOrText.includes('\n') || pathOrText.trimStart().startsWith('{')) return parsePolicy(pathOrText);
  return loadPolicyFile(pathOrText);
}

function formatOf(source: string, text: string): PolicyFormat {
  const ext = extname(source).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}
