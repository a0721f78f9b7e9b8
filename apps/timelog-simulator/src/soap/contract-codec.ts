import { allMembers, arrayItemName, Member, TypeRef } from '../contract/data-contract';
import { NS } from '../contract/namespaces';
import { XmlElement } from '../xml/xml-element';
import { escapeXml, PrefixRegistry } from '../xml/xml-writer';

/** A request WCF could not deserialize: answered with a SOAP fault, HTTP 500. */
export class DeserializationFault extends Error {}

const NIL = `{${NS.xsi}}nil`;
const PATTERNS: Record<string, RegExp> = {
  int: /^[+-]?\d{1,10}$/,
  double: /^([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF|-INF|NaN)$/,
  boolean: /^(true|false|1|0)$/,
  dateTime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})?$/,
  duration: /^-?P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/,
  guid: /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
  base64: /^[A-Za-z0-9+/=\s]*$/,
};

export function itemNs(item: TypeRef): string {
  if (item.kind === 'primitive') return NS.arrays;
  if (item.kind === 'complex' || item.kind === 'enum') return item.ns;
  throw new Error('unsupported array item');
}

/**
 * Reads the children of `parent` as the members of a data contract. Strict mode is WCF's behaviour as far as it
 * matters to a client: members in sequence order, in the declaring type's namespace, required ones present.
 * Lenient mode matches by local name only.
 */
export function decodeMembers(parent: XmlElement, members: { member: Member; ns: string }[], strict: boolean): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  let cursor = 0;
  for (const child of parent.children) {
    const index = strict
      ? members.findIndex((candidate, i) => i >= cursor && candidate.ns === child.ns && candidate.member.name === child.name)
      : members.findIndex((candidate) => candidate.member.name === child.name);
    if (index < 0) {
      if (!strict) continue;
      const earlier = members.some((candidate) => candidate.ns === child.ns && candidate.member.name === child.name);
      throw new DeserializationFault(
        earlier
          ? `Element '${child.name}' in '${parent.name}' is out of order; expected the members in sequence order`
          : `Element '${child.name}' from namespace '${child.ns}' was not expected in '${parent.name}'`,
      );
    }
    if (strict) requirePresent(members.slice(cursor, index), parent);
    values[members[index].member.name] = decodeValue(child, members[index].member.type, strict);
    cursor = index + 1;
  }
  if (strict) requirePresent(members.slice(cursor), parent);
  return values;
}

function requirePresent(skipped: { member: Member }[], parent: XmlElement): void {
  const missing = skipped.find((candidate) => candidate.member.required);
  if (missing) throw new DeserializationFault(`Required element '${missing.member.name}' is missing in '${parent.name}'`);
}

function decodeValue(element: XmlElement, type: TypeRef, strict: boolean): unknown {
  if (element.attributes[NIL] === 'true') return null;
  switch (type.kind) {
    case 'anyXml':
      return null;
    case 'complex': {
      return decodeMembers(element, allMembers(type), strict);
    }
    case 'array': {
      const name = arrayItemName(type.item);
      const ns = itemNs(type.item);
      return element.children.map((child) => {
        if (child.name !== name || (strict && child.ns !== ns)) {
          throw new DeserializationFault(`Element '${child.name}' from namespace '${child.ns}' was not expected in '${element.name}'`);
        }
        return decodeValue(child, type.item, strict);
      });
    }
    case 'enum': {
      const value = element.text.trim();
      if (!type.values.includes(value)) throw new DeserializationFault(`'${value}' is not a valid ${type.name} value`);
      return value;
    }
    case 'primitive': {
      if (type.name === 'string' || type.name === 'anyType') return element.text;
      const text = element.text.trim();
      if (!PATTERNS[type.name].test(text)) throw new DeserializationFault(`'${text}' is not a valid ${type.name} for '${element.name}'`);
      if (type.name === 'int') return Number(text);
      if (type.name === 'double') return Number(text);
      if (type.name === 'boolean') return text === 'true' || text === '1';
      return text;
    }
  }
}

const DEFAULTS: Record<string, string> = {
  int: '0',
  double: '0',
  boolean: 'false',
  dateTime: '0001-01-01T00:00:00',
  duration: 'PT0S',
  guid: '00000000-0000-0000-0000-000000000000',
};

/** Writes `value` as element `name` in `ns`, members in contract order; absent value types get .NET defaults. */
export function encodeValue(prefixes: PrefixRegistry, name: string, ns: string, type: TypeRef, value: unknown, nillable = false): string {
  const tag = prefixes.qualify(ns, name);
  if ((value === null || value === undefined) && nillable) return `<${tag} i:nil="true"/>`;
  if (value === null || value === undefined) {
    if (type.kind === 'primitive' && type.name in DEFAULTS) return `<${tag}>${DEFAULTS[type.name]}</${tag}>`;
    if (type.kind === 'enum') return `<${tag}>${type.values[0]}</${tag}>`;
    return `<${tag} i:nil="true"/>`;
  }
  switch (type.kind) {
    case 'anyXml':
      return `<${tag}>${String(value)}</${tag}>`;
    case 'primitive':
    case 'enum':
      return `<${tag}>${escapeXml(String(value))}</${tag}>`;
    case 'array': {
      const items = value as unknown[];
      if (items.length === 0) return `<${tag}/>`;
      const itemName = arrayItemName(type.item);
      const ns = itemNs(type.item);
      return `<${tag}>${items.map((item) => encodeValue(prefixes, itemName, ns, type.item, item)).join('')}</${tag}>`;
    }
    case 'complex': {
      const record = value as Record<string, unknown>;
      const body = allMembers(type)
        .map(({ member, ns: memberNs }) => encodeValue(prefixes, member.name, memberNs, member.type, record[member.name], member.nillable))
        .join('');
      return `<${tag}>${body}</${tag}>`;
    }
  }
}
