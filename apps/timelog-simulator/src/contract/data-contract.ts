/**
 * A small type model of the WCF data contracts: the single source for the WSDL files, for decoding requests
 * strictly and for encoding responses in wire order.
 */
export type PrimitiveName = 'string' | 'int' | 'double' | 'boolean' | 'dateTime' | 'duration' | 'guid' | 'base64' | 'anyType';

export interface PrimitiveType {
  kind: 'primitive';
  name: PrimitiveName;
}

export interface EnumType {
  kind: 'enum';
  name: string;
  ns: string;
  values: readonly string[];
}

export interface Member {
  name: string;
  type: TypeRef;
  /** WCF `IsRequired`: a missing member is a deserialization fault. */
  required?: boolean;
  /** A nullable value type (`TimeSpan?`): written as `i:nil` instead of the .NET default. */
  nillable?: boolean;
}

export interface ComplexType {
  kind: 'complex';
  name: string;
  ns: string;
  base?: ComplexType;
  members: Member[];
}

export interface ArrayType {
  kind: 'array';
  item: TypeRef;
}

/** Untyped XML content (`xs:any`), e.g. TaskDetails.CustomField and the Reporting API documents. */
export interface AnyXmlType {
  kind: 'anyXml';
}

export type TypeRef = PrimitiveType | EnumType | ComplexType | ArrayType | AnyXmlType;

const primitive = (name: PrimitiveName): PrimitiveType => ({ kind: 'primitive', name });
export const xs = {
  string: primitive('string'),
  int: primitive('int'),
  double: primitive('double'),
  boolean: primitive('boolean'),
  dateTime: primitive('dateTime'),
  duration: primitive('duration'),
  guid: primitive('guid'),
  base64: primitive('base64'),
  /** `object` in .NET, e.g. CustomField.Value. */
  anyType: primitive('anyType'),
};
export const anyXml: AnyXmlType = { kind: 'anyXml' };

export function complex(ns: string, name: string, members: Member[], base?: ComplexType): ComplexType {
  return { kind: 'complex', ns, name, members, base };
}

export function arrayOf(item: TypeRef): ArrayType {
  return { kind: 'array', item };
}

export function m(name: string, type: TypeRef, required = false): Member {
  return required ? { name, type, required } : { name, type };
}

export function nullable(name: string, type: TypeRef): Member {
  return { name, type, nillable: true };
}

/** Base members first, then own members: the DataContractSerializer wire order. */
export function allMembers(type: ComplexType): { member: Member; ns: string }[] {
  const inherited = type.base ? allMembers(type.base) : [];
  return [...inherited, ...type.members.map((member) => ({ member, ns: type.ns }))];
}

/** Items of a primitive array (`Guid[]`) are named after the XSD type in the Serialization/Arrays namespace. */
export function arrayItemName(item: TypeRef): string {
  if (item.kind === 'primitive') return item.name;
  if (item.kind === 'array' || item.kind === 'anyXml') throw new Error('nested arrays are not part of the contract');
  return item.name;
}
