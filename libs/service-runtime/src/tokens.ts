/** DI tokens for the infrastructure every pipeline service shares. */
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const KAFKA = Symbol('KAFKA');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
