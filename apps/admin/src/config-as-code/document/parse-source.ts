import { DomainError } from '#problem-details';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { parseDocument } from 'yaml';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../validation/json-depth.js';

/** The syntaxes a configuration document may be written in. */
export type SourceSyntax = 'json' | 'yaml' | 'xml';

/** The syntax of a body by its media type (SPEC: JSON, YAML or XML), or undefined. */
export function syntaxOfMediaType(contentType: string | undefined): SourceSyntax | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'application/yaml' || type === 'text/yaml' || type === 'application/x-yaml') return 'yaml';
  if (type === 'application/xml' || type === 'text/xml') return 'xml';
  return undefined;
}

/** The syntax of a file by its name, else by its first character (for the CLI). */
export function syntaxOfFile(name: string, text: string): SourceSyntax {
  if (/\.ya?ml$/i.test(name)) return 'yaml';
  if (/\.xml$/i.test(name)) return 'xml';
  if (/\.json$/i.test(name)) return 'json';
  const first = text.trimStart()[0];
  return first === '<' ? 'xml' : first === '{' || first === '[' ? 'json' : 'yaml';
}

// S3's repeatable elements are lists even when a document has one of them.
const XML_LISTS = new Set(['CORSRule', 'AllowedOrigin', 'AllowedMethod', 'AllowedHeader', 'ExposeHeader']);

/**
 * Parses a document with well-kept parsers (`yaml`, `fast-xml-parser`), bounded: YAML aliases
 * (the "billion laughs") and XML entity expansion are limited by the parsers, and the result may
 * nest no deeper than a JSON body may. A syntax error is a 400 on `body` with the parser's words.
 */
export function parseSource(text: string, syntax: SourceSyntax): unknown {
  const value = parse(text, syntax);
  if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
    throw DomainError.validation([{ field: 'body', reason: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }]);
  }
  return value;
}

function parse(text: string, syntax: SourceSyntax): unknown {
  switch (syntax) {
    case 'json':
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw invalidBody('JSON', error);
      }
    case 'yaml': {
      const document = parseDocument(text, { prettyErrors: false });
      if (document.errors.length > 0) throw invalidBody('YAML', document.errors[0]);
      return document.toJS({ maxAliasCount: 100 }) as unknown;
    }
    case 'xml': {
      const valid = XMLValidator.validate(text);
      if (valid !== true) throw invalidBody('XML', new Error(`${valid.err.msg} (line ${valid.err.line})`));
      return new XMLParser({
        ignoreAttributes: true,
        ignoreDeclaration: true,
        parseTagValue: false,
        trimValues: true,
        isArray: (name) => XML_LISTS.has(name),
        processEntities: { enabled: true, maxTotalExpansions: 1000, maxExpandedLength: 65_536 },
      }).parse(text) as unknown;
    }
  }
}

function invalidBody(syntax: string, error: unknown): DomainError {
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return DomainError.validation([{ field: 'body', reason: `is not valid ${syntax}: ${message}` }]);
}
