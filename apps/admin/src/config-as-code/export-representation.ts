import { NotAcceptableException } from '@nestjs/common';
import { XMLBuilder } from 'fast-xml-parser';
import { stringify } from 'yaml';
import type { ExportFormat } from './document/config-model.js';
import { s3Xml } from './formats/s3.format.js';

/** An export as the client asked for it (`Accept`): JSON unless YAML or XML is asked for. */
export interface Representation {
  readonly contentType: string;
  readonly body: string;
}

/**
 * Writes the document in the syntax `Accept` names. A plain look for the media types rather
 * than full negotiation: there are three answers and JSON is the default.
 */
export function represent(format: ExportFormat, document: unknown, accept: string | undefined): Representation {
  const wanted = (accept ?? '').toLowerCase();
  if (wanted.includes('yaml')) return { contentType: 'application/yaml; charset=utf-8', body: stringify(document) };
  if (wanted.includes('xml') && !wanted.includes('json')) {
    if (format !== 's3') throw new NotAcceptableException(`the ${format} format has no XML form; ask for JSON or YAML`);
    const xml = new XMLBuilder({ ignoreAttributes: false, format: true, suppressEmptyNode: true }).build(s3Xml(document as { CORSRules: Record<string, unknown>[] })) as string;
    return { contentType: 'application/xml; charset=utf-8', body: `<?xml version="1.0" encoding="UTF-8"?>\n${xml}` };
  }
  return { contentType: 'application/json; charset=utf-8', body: JSON.stringify(document) };
}
