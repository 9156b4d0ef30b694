import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { z } from 'zod';
import { StartupError } from '../errors/app-error';

/** Reads and validates one YAML file; content errors stop the start with the file and the reason. */
export function readYaml<T>(file: string, schema: z.ZodType<T, z.ZodTypeDef, unknown>): T {
  let data: unknown;
  try {
    data = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StartupError(`cannot parse ${file}: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new StartupError(`invalid ${file}:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}

export function listFiles(dir: string, extension: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(extension))
    .sort()
    .map((f) => path.join(dir, f));
}
