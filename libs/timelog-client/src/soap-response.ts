import { parse, TNode } from 'txml';

/**
 * A SOAP response read into the object node-soap's `WSDL.xmlToObject` makes of it, for the contracts in
 * contract-schemas.ts: elements by local name, text trimmed, a repeated element as an array, an `xsi:nil` element left
 * out, an empty one null, non-namespace attributes under `attributes`, and a SOAP Fault thrown as node-soap throws it.
 * Values stay text: node-soap types them from the schema (and makes an empty string-typed element ''); the contracts
 * and mappings read both alike. Why not node-soap's own reading: it walks the WSDL
 * schema for every element of a sax parse, and was a quarter of the poller's CPU and, with the garbage it leaves, half
 * the writer's in a backfill (InsertWork answers every item enriched with its task and project); this reads the same
 * answers about eight times faster.
 */

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XMLNS = /^xmlns(:|$)/;

/** The error node-soap raises for a response it cannot read as XML. */
export class UnreadableSoapResponse extends Error {}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

interface Reading {
  /** Prefixes bound to the XML Schema instance namespace anywhere in the document (node-soap keeps one map too). */
  xsiPrefixes: Set<string>;
}

const isNil = (node: TNode, reading: Reading) =>
  Object.entries(node.attributes).some(([name, value]) => {
    const colon = name.indexOf(':');
    return colon > 0 && name.slice(colon + 1) === 'nil' && reading.xsiPrefixes.has(name.slice(0, colon)) && (value === 'true' || value === '1');
  });

function collectXsiPrefixes(node: TNode, reading: Reading): void {
  for (const [name, value] of Object.entries(node.attributes)) if (value === XSI && name.startsWith('xmlns:')) reading.xsiPrefixes.add(name.slice(6));
  for (const child of node.children) if (typeof child !== 'string') collectXsiPrefixes(child, reading);
}

function valueOf(node: TNode, reading: Reading): unknown {
  const attributes = Object.entries(node.attributes).filter(([name]) => !XMLNS.test(name));
  const elements = node.children.filter((child): child is TNode => typeof child !== 'string');
  if (elements.length === 0) {
    const text = node.children.join('').trim();
    if (attributes.length === 0) return text || null;
    return text ? { attributes: Object.fromEntries(attributes), $value: text } : { attributes: Object.fromEntries(attributes) };
  }
  const object: Record<string, unknown> = attributes.length > 0 ? { attributes: Object.fromEntries(attributes) } : {};
  for (const element of elements) {
    if (isNil(element, reading)) continue;
    const name = localName(element.tagName);
    const value = valueOf(element, reading);
    const earlier = object[name];
    if (earlier === undefined) object[name] = value;
    else if (Array.isArray(earlier)) earlier.push(value);
    else object[name] = [earlier, value];
  }
  return object;
}

/** node-soap's error for a Fault: `code: string[: detail]`, the document under `root` (call-failure.ts reads it). */
function faultOf(fault: Record<string, unknown>, envelope: unknown): Error {
  const text = (value: unknown) => (value && typeof value === 'object' && '$value' in value ? (value as { $value: unknown }).$value : value);
  const code = text(fault.faultcode);
  const reason = text(fault.faultstring);
  const detail = text(fault.detail);
  return Object.assign(new Error(`${String(code)}: ${String(reason)}${detail ? `: ${JSON.stringify(detail)}` : ''}`), { root: { Envelope: envelope } });
}

/** The response's `Envelope` (the document's root when it has none), as node-soap's `xmlToObject` returns it. */
export function readSoapResponse(xml: string): unknown {
  let nodes: (TNode | string)[];
  try {
    nodes = parse(xml, { decodeEntities: true, selfClosingTags: [], skipXmlDeclaration: true });
  } catch (error) {
    throw new UnreadableSoapResponse(`Invalid XML: ${(error as Error).message.split('\n')[0]}`);
  }
  const roots = nodes.filter((node): node is TNode => typeof node !== 'string' && !node.tagName.startsWith('?') && !node.tagName.startsWith('!'));
  const [root] = roots;
  // txml reads a cut-off document as far as it goes; node-soap's strict parser refuses it, and so does this.
  if (roots.length !== 1 || !new RegExp(`</${root.tagName.replace(/[.$]/g, '\\$&')}>\\s*$`).test(xml)) {
    throw new UnreadableSoapResponse('Invalid XML: the document is not one complete element');
  }
  const reading: Reading = { xsiPrefixes: new Set() };
  collectXsiPrefixes(root, reading);
  const value = valueOf(root, reading);
  if (localName(root.tagName) !== 'Envelope') return { [localName(root.tagName)]: value };
  const fault = (value as { Body?: { Fault?: Record<string, unknown> } }).Body?.Fault;
  if (fault && typeof fault === 'object') throw faultOf(fault, value);
  return value;
}
