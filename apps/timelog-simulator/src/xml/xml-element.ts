import { XMLParser } from 'fast-xml-parser';

/** A namespace-resolved XML element: enough to check SOAP requests the way WCF's deserializer does. */
export interface XmlElement {
  ns: string;
  name: string;
  /** Attributes keyed `{ns}local` (or `local` when unqualified). */
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Only the predefined entities and character references can remain once a DTD is refused.
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

export class XmlSyntaxError extends Error {}

/** Characters XML 1.0 does not allow, raw or as a character reference; .NET's reader refuses the whole message. */
const ILLEGAL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|&#(x0*([0-8bBcC]|1[0-9a-fA-F])|0*([0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]));/;

export function parseXml(text: string): XmlElement {
  // SOAP 1.1 forbids a DTD; refusing it keeps entity expansion (e.g. "billion laughs") out of the parser.
  if (/<!DOCTYPE/i.test(text)) throw new XmlSyntaxError('a SOAP message must not contain a Document Type Declaration');
  const illegal = ILLEGAL_CHARACTER.exec(text);
  if (illegal) throw new XmlSyntaxError(`'${illegal[0].length === 1 ? `0x${illegal[0].charCodeAt(0).toString(16).toUpperCase()}` : illegal[0]}' is an invalid character`);
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text, true) as OrderedNode[];
  } catch (error) {
    throw new XmlSyntaxError((error as Error).message);
  }
  const root = nodes.map((node) => toElement(node, new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]))).find(Boolean);
  if (!root) throw new XmlSyntaxError('no root element');
  return root;
}

function toElement(node: OrderedNode, inherited: Map<string, string>): XmlElement | undefined {
  const tag = Object.keys(node).find((key) => key !== ':@' && key !== '#text');
  if (!tag) return undefined;
  const rawAttributes = node[':@'] ?? {};
  const scope = new Map(inherited);
  for (const [key, value] of Object.entries(rawAttributes)) {
    if (key === 'xmlns') scope.set('', value);
    else if (key.startsWith('xmlns:')) scope.set(key.slice(6), value);
  }
  const resolve = (qname: string, useDefault: boolean) => {
    const colon = qname.indexOf(':');
    const prefix = colon < 0 ? '' : qname.slice(0, colon);
    const local = colon < 0 ? qname : qname.slice(colon + 1);
    const ns = prefix ? scope.get(prefix) : useDefault ? (scope.get('') ?? '') : '';
    if (ns === undefined) throw new XmlSyntaxError(`undeclared prefix ${prefix}`);
    return { ns, local };
  };
  const { ns, local } = resolve(tag, true);
  const attributes: Record<string, string> = {};
  for (const [key, value] of Object.entries(rawAttributes)) {
    if (key === 'xmlns' || key.startsWith('xmlns:')) continue;
    const attribute = resolve(key, false);
    attributes[attribute.ns ? `{${attribute.ns}}${attribute.local}` : attribute.local] = value;
  }
  const children: XmlElement[] = [];
  let text = '';
  for (const child of (node[tag] as OrderedNode[]) ?? []) {
    if ('#text' in child) text += String(child['#text']);
    else {
      const element = toElement(child, scope);
      if (element) children.push(element);
    }
  }
  return { ns, name: local, attributes, children, text };
}

export function childNamed(element: XmlElement, ns: string, name: string): XmlElement | undefined {
  return element.children.find((child) => child.ns === ns && child.name === name);
}
