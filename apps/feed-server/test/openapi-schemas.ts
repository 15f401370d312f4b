import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';
import type { OpenAPIV3_1 } from 'openapi-types';

/** docs/openapi.yaml, the history API's description (docs/API.md is its reference). */
export const OPENAPI_FILE = fileURLToPath(new URL('../../../docs/openapi.yaml', import.meta.url));

/** The id the document's schemas are known by to ajv: `#/components/…` refs resolve against it. */
const DOCUMENT_ID = 'https://ticker.invalid/docs/openapi.yaml';

export interface ApiSchemas {
  /** The document as written: `$ref`s kept, not dereferenced. */
  readonly document: OpenAPIV3_1.Document;
  /** A validator for `#/components/schemas/<name>`, e.g. `schema('CandlesAnswer')(body)`. */
  schema(name: string): ValidateFunction;
  /** A validator for any schema object of the document (a media type's, say). */
  compile(schema: object): ValidateFunction;
}

/**
 * Reads docs/openapi.yaml (swagger-parser reads the YAML) and compiles its schemas with ajv as
 * JSON Schema 2020-12, which OpenAPI 3.1 schemas are. Strict mode, so a keyword ajv does not
 * know (a misspelt `prefixItem`, OpenAPI 3.0's `example` where JSON Schema says `examples`)
 * fails here rather than being silently ignored; `int64` is checked as a safe integer, so epoch ms stay exact in JavaScript.
 * A test validating live server answers can share this: `(await loadApiSchemas()).schema(…)`.
 */
export async function loadApiSchemas(): Promise<ApiSchemas> {
  const document = (await SwaggerParser.parse(OPENAPI_FILE)) as OpenAPIV3_1.Document;
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  ajv.addFormat('int64', { type: 'number', validate: Number.isSafeInteger });
  // The document's own keys are not JSON Schema keywords: only the components are handed over,
  // at the same JSON pointer, so that `#/components/schemas/Decimal` means what it says.
  ajv.addKeyword('components');
  ajv.addSchema({ $id: DOCUMENT_ID, components: { schemas: document.components?.schemas ?? {} } });
  const compile = (schema: object): ValidateFunction => ajv.compile(anchored(schema) as AnySchema);
  const named = new Map<string, ValidateFunction>();
  return {
    document,
    compile,
    schema(name) {
      let validate = named.get(name);
      if (validate === undefined) {
        validate = compile({ $ref: `#/components/schemas/${name}` });
        named.set(name, validate);
      }
      return validate;
    },
  };
}

/** `schema` with every document-local `$ref` ("#/…") made absolute, to the document. */
function anchored(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchored);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#')
        ? [key, DOCUMENT_ID + value]
        : [key, anchored(value)],
    ),
  );
}
