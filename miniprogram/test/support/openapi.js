// What the mini program sends, checked against the server's own OpenAPI documents:
//   openapi.json          the REST API (drf-spectacular; tests/miniprogram keeps the copy current)
//   allauth-openapi.json  allauth headless, as the server serves it at /_allauth/openapi.json (ditto)
// requestProblems(call) takes one captured wx.request and lists what is wrong with it: an unknown path or
// method, a path or query parameter of the wrong type, a required header (Idempotency-Key) missing, a body
// missing required properties, carrying properties the schema does not list, or of the wrong type or enum.
// responseProblems(method, path, status, body) checks a test's stubbed answer the same way (not strictly:
// the server may add fields), so the fixtures the page tests feed back are answers the server can give.
const Ajv = require('ajv');
const addFormats = require('ajv-formats');
const config = require('../../config');
const drf = require('../../openapi.json');
const allauth = require('../../allauth-openapi.json');

const ajv = new Ajv({ allErrors: true, strict: false, logger: false });
addFormats(ajv);
ajv.addFormat('decimal', /^-?\d+(\.\d+)?$/);
ajv.addFormat('binary', () => true);
ajv.addFormat('int32', { type: 'number', validate: Number.isInteger });
ajv.addFormat('int64', { type: 'number', validate: Number.isInteger });
ajv.addFormat('double', { type: 'number', validate: () => true });
ajv.addFormat('float', { type: 'number', validate: () => true });

const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function specFor(path) {
  return path.startsWith('/_allauth/') ? allauth : drf;
}

function pointer(spec, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported: ${ref}`);
  return ref.slice(2).split('/').reduce((node, key) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
}

// Inline every $ref (a schema that refers back to itself is cut off at the second visit).
function deref(spec, node, seen = []) {
  if (Array.isArray(node)) return node.map((n) => deref(spec, n, seen));
  if (!node || typeof node !== 'object') return node;
  if (node.$ref) {
    if (seen.includes(node.$ref)) return {};
    const { $ref, ...rest } = node;
    return deref(spec, Object.assign({}, pointer(spec, $ref), rest), seen.concat($ref));
  }
  const out = {};
  Object.keys(node).forEach((key) => { out[key] = deref(spec, node[key], seen); });
  return out;
}

const isObjectSchema = (s) => s && typeof s === 'object' && (s.type === 'object' || s.properties);

// OpenAPI 3.0 → JSON Schema: `nullable: true` becomes "or null". With `strict`, an object that lists its
// properties refuses any other (allOf parts are merged first so that this holds for the whole object).
function jsonSchema(node, strict) {
  if (Array.isArray(node)) return node.map((n) => jsonSchema(n, strict));
  if (!node || typeof node !== 'object') return node;
  let s = Object.assign({}, node);
  if (s.allOf && s.allOf.every(isObjectSchema)) {
    const merged = { type: 'object', properties: {}, required: [] };
    s.allOf.forEach((part) => {
      Object.assign(merged.properties, part.properties || {});
      merged.required.push(...(part.required || []));
      if (part.additionalProperties !== undefined) merged.additionalProperties = part.additionalProperties;
    });
    delete s.allOf;
    s = Object.assign(merged, s, {
      properties: Object.assign(merged.properties, s.properties || {}),
      required: merged.required.concat(s.required || []),
    });
  }
  ['properties', 'patternProperties'].forEach((key) => {
    if (s[key]) {
      const out = {};
      Object.keys(s[key]).forEach((name) => { out[name] = jsonSchema(s[key][name], strict); });
      s[key] = out;
    }
  });
  ['items', 'not'].forEach((key) => { if (s[key]) s[key] = jsonSchema(s[key], strict); });
  ['allOf', 'anyOf', 'oneOf'].forEach((key) => { if (s[key]) s[key] = s[key].map((n) => jsonSchema(n, strict)); });
  if (s.additionalProperties && typeof s.additionalProperties === 'object') {
    s.additionalProperties = jsonSchema(s.additionalProperties, strict);
  }
  if (strict && s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
  if (s.nullable) {
    delete s.nullable;
    return { anyOf: [s, { type: 'null' }] };
  }
  return s;
}

const validators = new Map();
function validate(schema, value, strict) {
  const key = JSON.stringify([schema, strict]);
  if (!validators.has(key)) validators.set(key, ajv.compile(jsonSchema(schema, strict)));
  const check = validators.get(key);
  if (check(value)) return [];
  return check.errors.map((e) => `${e.instancePath || '(body)'} ${e.message}${e.params && e.params.additionalProperty ? `: ${e.params.additionalProperty}` : ''}`);
}

function templateRegExp(template) {
  const names = [];
  const source = template
    .replace('{client}', 'app') // allauth documents /_allauth/{client}/v1/…; the mini program is the "app" client
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\{(\w+)\}/g, (_, name) => { names.push(name); return '([^/]+)'; });
  return { re: new RegExp(`^${source}$`), names };
}

// The operation a method and path (no query string) call: {spec, template, operation, pathParams}.
function findOperation(method, path) {
  const spec = specFor(path);
  const found = [];
  Object.keys(spec.paths).forEach((template) => {
    const { re, names } = templateRegExp(template);
    const match = re.exec(path);
    if (!match) return;
    const item = spec.paths[template];
    const operation = item[method.toLowerCase()];
    if (!operation) return;
    const pathParams = {};
    names.forEach((name, i) => { pathParams[name] = decodeURIComponent(match[i + 1]); });
    if (template.includes('{client}')) pathParams.client = 'app';
    found.push({ spec, template, item, operation, pathParams, literal: names.length });
  });
  found.sort((a, b) => a.literal - b.literal); // /auth/phone/verify before a templated sibling
  return found[0] || null;
}

function parametersOf(spec, item, operation) {
  return [...(item.parameters || []), ...(operation.parameters || [])].map((p) => deref(spec, p));
}

function splitUrl(url) {
  const withoutBase = url.startsWith(config.baseUrl) ? url.slice(config.baseUrl.length) : url;
  const [path, query = ''] = withoutBase.split('?');
  return { path, query };
}

function headerValue(headers, name) {
  const key = Object.keys(headers || {}).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : headers[key];
}

// One captured wx.request options object → a list of problems (empty when the call is right).
function requestProblems(call) {
  const method = (call.method || 'GET').toUpperCase();
  const { path, query } = splitUrl(call.url);
  const where = `${method} ${path}`;
  if (query) return [`${where}: put query parameters in data, not in the URL`];
  const found = findOperation(method, path);
  if (!found) return [`${where}: no such operation in ${path.startsWith('/_allauth/') ? 'allauth-openapi.json' : 'openapi.json'}`];
  const { spec, item, operation, pathParams } = found;
  const problems = [];
  const params = parametersOf(spec, item, operation);

  params.filter((p) => p.in === 'path').forEach((p) => {
    let value = pathParams[p.name];
    if (p.schema && p.schema.type === 'integer') {
      if (!/^-?\d+$/.test(value)) problems.push(`${where}: path parameter ${p.name}=${value} is not an integer`);
      return;
    }
    if (p.schema && p.schema.type === 'number') value = Number(value);
    validate(p.schema || {}, value, true).forEach((e) => problems.push(`${where}: path parameter ${p.name} ${e}`));
  });

  params.filter((p) => p.in === 'header' && p.required).forEach((p) => {
    const value = headerValue(call.header, p.name);
    if (value === undefined || value === '') problems.push(`${where}: required header ${p.name} is missing`);
    else validate(p.schema || {}, value, true).forEach((e) => problems.push(`${where}: header ${p.name} ${e}`));
  });

  const data = call.data;
  if (method === 'GET' || method === 'DELETE') {
    const queryParams = params.filter((p) => p.in === 'query');
    Object.keys(data || {}).forEach((name) => {
      const param = queryParams.find((p) => p.name === name);
      if (!param) {
        problems.push(`${where}: unknown query parameter ${name}`);
        return;
      }
      validate(param.schema || {}, data[name], true).forEach((e) => problems.push(`${where}: query parameter ${name} ${e}`));
    });
    queryParams.filter((p) => p.required && !(data && p.name in data))
      .forEach((p) => problems.push(`${where}: required query parameter ${p.name} is missing`));
    return problems;
  }

  const requestBody = operation.requestBody && deref(spec, operation.requestBody);
  if (!requestBody) {
    if (data !== undefined && Object.keys(data || {}).length) problems.push(`${where}: sends a body, but the operation takes none`);
    return problems;
  }
  const content = requestBody.content && requestBody.content['application/json'];
  if (!content) return problems.concat(`${where}: the operation takes no JSON body`);
  if (data === undefined) {
    if (requestBody.required) problems.push(`${where}: the request body is required`);
    return problems;
  }
  const contentType = headerValue(call.header, 'content-type');
  if (!contentType || !/^application\/json/.test(contentType)) problems.push(`${where}: content-type is not application/json`);
  validate(deref(spec, content.schema), data, true).forEach((e) => problems.push(`${where}: body ${e}`));
  return problems;
}

// A stubbed answer → problems, if the operation documents that status with a JSON body.
function responseProblems(method, path, status, body) {
  const found = findOperation(method, path);
  if (!found) return [`${method} ${path}: no such operation`];
  const response = found.operation.responses && found.operation.responses[String(status)];
  if (!response) return [`${method} ${path}: answers no ${status}`];
  const resolved = deref(found.spec, response);
  const content = resolved.content && resolved.content['application/json'];
  if (!content || !content.schema) return [];
  return validate(content.schema, body, false).map((e) => `${method} ${path} ${status}: ${e}`);
}

// Every operation the two documents hold, as "METHOD /path" (for the coverage check).
function operationOf(call) {
  const { path } = splitUrl(call.url);
  const found = findOperation((call.method || 'GET').toUpperCase(), path);
  return found ? `${(call.method || 'GET').toUpperCase()} ${found.template}` : null;
}

module.exports = { requestProblems, responseProblems, findOperation, operationOf, HTTP_METHODS };
