import { parse, TNode } from 'txml';

/**
 * A SOAP response read into the object node-soap's `WSDL.xmlToObject` makes of it, for the contracts in
 * contract-schemas.ts: elements by local name, text trimmed, a repeated element as an array, an `xsi:nil` element left
 * out, an empty one null, non-namespace attributes under `attributes`, and a SOAP Fault thrown as node-soap throws it.
 * Values stay text: node-soap types them from the schema (and makes an empty string-typed element ''); the contracts
 * and mappings read both alike. Why not node-soap's own reading: it walks the WSDL schema for every element of a sax
 * parse, 6-9 ms of CPU for a 20-item change-log page (36 KB) that this reads in under 2; with it the poller spent
 * a fifth more CPU per company, and the writer a quarter more in a backfill (InsertWork answers every item with its task
 * and project).
 */

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** The error node-soap raises for a response it cannot read as XML. */
export class UnreadableSoapResponse extends Error {}

const localName = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/**
 * Prefixes bound to the XML Schema instance namespace, in document order (node-soap keeps one such map for the whole
 * document too); TimeLog declares `xmlns:i` on the response element, above every nil.
 */
type XsiPrefixes = Set<string>;

function isNil(attributes: Record<string, string | null>, xsi: XsiPrefixes): boolean {
  for (const name in attributes) {
    const colon = name.indexOf(':');
    if (colon > 0 && name.slice(colon + 1) === 'nil' && xsi.has(name.slice(0, colon))) return attributes[name] === 'true' || attributes[name] === '1';
  }
  return false;
}

/** The element's attributes other than namespace declarations (none: null), noting XSI prefixes it declares. */
function ownAttributes(attributes: Record<string, string | null>, xsi: XsiPrefixes): Record<string, string | null> | null {
  let own: Record<string, string | null> | null = null;
  for (const name in attributes) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      if (attributes[name] === XSI) xsi.add(name.slice(6));
    } else (own ??= {})[name] = attributes[name];
  }
  return own;
}

/** An `xsi:nil` element: node-soap leaves it out of its parent. */
const NIL = Symbol('nil');

function valueOf(node: TNode, xsi: XsiPrefixes): unknown {
  const attributes = ownAttributes(node.attributes, xsi);
  if (attributes && isNil(attributes, xsi)) return NIL;
  let object: Record<string, unknown> | null = null;
  let text = '';
  for (const child of node.children) {
    if (typeof child === 'string') {
      text += child;
      continue;
    }
    object ??= attributes ? { attributes } : {};
    const value = valueOf(child, xsi);
    if (value === NIL) continue;
    const name = localName(child.tagName);
    const earlier = object[name];
    if (earlier === undefined) object[name] = value;
    else if (Array.isArray(earlier)) earlier.push(value);
    else object[name] = [earlier, value];
  }
  // node-soap makes an element whose children were all nil (an empty object) null.
  if (object) return Object.keys(object).length > 0 ? object : null;
  text = text.trim();
  if (!attributes) return text || null;
  return text ? { attributes, $value: text } : { attributes };
}

/** node-soap's error for a Fault: `code: string[: detail]`, the document under `root` (call-failure.ts reads it). */
function faultOf(fault: Record<string, unknown>, envelope: unknown): Error {
  const text = (value: unknown) => (value && typeof value === 'object' && '$value' in value ? (value as { $value: unknown }).$value : value);
  const code = text(fault.faultcode);
  const reason = text(fault.faultstring);
  const detail = text(fault.detail);
  return Object.assign(new Error(`${String(code)}: ${String(reason)}${detail ? `: ${JSON.stringify(detail)}` : ''}`), { root: { Envelope: envelope } });
}

const WORK_WRITE_ANSWER = /<(?:[\w.-]+:)?(?:Insert|Update|Delete)WorkResponse[\s/>]/;

/** An answer to InsertWork, UpdateWork or DeleteWork: its element opens the Body, within the document's first bytes. */
export const isWorkWriteAnswer = (xml: string): boolean => WORK_WRITE_ANSWER.test(xml.slice(0, 2048));
/**
 * A `Details` element, empty or whole (it holds no `Details` of its own, and TimeLog's text is escaped, so its first
 * closing tag of the same prefix ends it).
 */
const DETAILS_ELEMENT = /<([\w.-]+:)?Details(?:\s[^>]*)?(?:\/>|>[\s\S]*?<\/\1Details>)/g;

/**
 * A batch write answers every work unit with its output-only `Details` (the task's, project's and customer's headers):
 * half of a 500-item answer (690 KB), read for nothing (the sync reads each item's status). Left out before parsing,
 * the answer is read in half the time and makes half the garbage: in a backfill, whose answers outlive the young
 * generation and are collected by full GCs, the writer's CPU fell by a tenth.
 */
function withoutWriteAnswerDetails(xml: string): string {
  return isWorkWriteAnswer(xml) ? xml.replace(DETAILS_ELEMENT, '') : xml;
}

/**
 * The response's `Envelope` (the document's root when it has none), as node-soap's `xmlToObject` returns it; the
 * answer of a work batch write without its units' `Details`.
 */
export function readSoapResponse(xml: string): unknown {
  let nodes: (TNode | string)[];
  try {
    nodes = parse(withoutWriteAnswerDetails(xml), { decodeEntities: true, selfClosingTags: [], skipXmlDeclaration: true });
  } catch (error) {
    throw new UnreadableSoapResponse(`Invalid XML: ${(error as Error).message.split('\n')[0]}`);
  }
  const roots = nodes.filter((node): node is TNode => typeof node !== 'string' && !node.tagName.startsWith('?') && !node.tagName.startsWith('!'));
  const [root] = roots;
  // txml reads a cut-off document as far as it goes; node-soap's strict parser refuses it, and so does this.
  if (roots.length !== 1 || !xml.trimEnd().endsWith(`</${root.tagName}>`)) {
    throw new UnreadableSoapResponse('Invalid XML: the document is not one complete element');
  }
  const value = valueOf(root, new Set());
  if (localName(root.tagName) !== 'Envelope') return { [localName(root.tagName)]: value };
  const fault = (value as { Body?: { Fault?: Record<string, unknown> } }).Body?.Fault;
  if (fault && typeof fault === 'object') throw faultOf(fault, value);
  return value;
}
